// Which system a command talks to. Explicit: `--target local|cloud` or CONVEYOR_TARGET; `local` is the
// default only inside a checkout whose local stack is up, and a Temporal profile implies `cloud`.
// Nothing falls back to the emulators silently. Temporal settings are read the way the `temporal` CLI
// reads them (flags > TEMPORAL_* variables > temporal.toml profile, through @temporalio/envconfig).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import type { ConnectionOptions } from '@temporalio/client';
import { toClientOptions } from '@temporalio/envconfig';
import { z } from 'zod';
import { TaskQueues } from '@conveyor/contracts';
import {
  ConfigError,
  defaultPipelineRoot,
  parseEnv,
  pipelineSettingsEnv,
  webUiBaseUrl,
  type PipelineSettings,
} from '@conveyor/platform';
import { localEnvironment, localStackRunning, type StackConfig } from '@conveyor/stack';
import { insideCheckout, localStackConfig, repoRoot } from './checkout.ts';
import { clientTls, temporalProfile } from './temporal-profile.ts';

/** The two targets. */
export const TARGETS = ['local', 'cloud'] as const;
/** A target name. */
export type TargetName = (typeof TARGETS)[number];

/** The flags {@link addTargetOptions} adds (the `temporal` CLI's names). */
export interface TargetFlags {
  readonly target?: string;
  readonly profile?: string;
  readonly configFile?: string;
  readonly address?: string;
  readonly namespace?: string;
  readonly apiKey?: string;
  readonly tls?: boolean;
  readonly tlsCertPath?: string;
  readonly tlsKeyPath?: string;
  readonly tlsCaPath?: string;
  readonly tlsServerName?: string;
}

const GROUP = 'Target options:';

const targetOption = () =>
  new Option('--target <target>', 'local (the embedded stack) or cloud (env CONVEYOR_TARGET)').choices(
    TARGETS,
  );

/** Adds `--target` and the `temporal` CLI's connection flags to a command that talks to Temporal or Google. */
export function addTargetOptions(command: Command): Command {
  const options = [
    targetOption(),
    new Option('--profile <name>', 'temporal.toml profile (env TEMPORAL_PROFILE); implies --target cloud'),
    new Option('--config-file <path>', 'temporal.toml path (env TEMPORAL_CONFIG_FILE)'),
    new Option('--address <host:port>', 'Temporal frontend (env TEMPORAL_ADDRESS)'),
    new Option('-n, --namespace <namespace>', 'Temporal namespace (env TEMPORAL_NAMESPACE)'),
    new Option('--api-key <key>', 'Temporal Cloud API key (env TEMPORAL_API_KEY)'),
    new Option('--tls', 'use TLS (env TEMPORAL_TLS); implied by the options below and by an API key'),
    new Option('--tls-cert-path <path>', 'mTLS client certificate (env TEMPORAL_TLS_CLIENT_CERT_PATH)'),
    new Option('--tls-key-path <path>', 'mTLS client key (env TEMPORAL_TLS_CLIENT_KEY_PATH)'),
    new Option('--tls-ca-path <path>', 'server CA certificate (env TEMPORAL_TLS_SERVER_CA_CERT_PATH)'),
    new Option('--tls-server-name <name>', 'TLS server name override (env TEMPORAL_TLS_SERVER_NAME)'),
  ];
  for (const option of options) command.addOption(option.helpGroup(GROUP));
  return command;
}

const hostPort = z
  .string()
  .regex(/^[^:/]+:\d+$/, 'must be host:port')
  .optional();

/** Variables the CLI reads besides Temporal's (parsed once per command, every problem named). */
const cliEnvSchema = z.object({
  GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
  CONVEYOR_REGION: z.string().min(1).default('us-central1'),
  CONVEYOR_PIPELINE_ROOT: z
    .string()
    .regex(/^gs:\/\/[^/]+/, 'must be a gs://bucket[/prefix] URI')
    .optional(),
  CONVEYOR_SERVICE_ACCOUNT: z.string().min(1).optional(),
  CONVEYOR_STORAGE_ENDPOINT: z.url().optional(),
  CONVEYOR_CLOUDBUILD_ENDPOINT: hostPort,
  CONVEYOR_AIPLATFORM_ENDPOINT: hostPort,
  PUBSUB_EMULATOR_HOST: hostPort,
  CONVEYOR_TOPIC: z.string().min(1).default('conveyor-training'),
  CONVEYOR_SUBSCRIPTION: z.string().min(1).default('conveyor-training-bridge'),
  CONVEYOR_TASK_QUEUE: z.string().min(1).default(TaskQueues.training),
  CONVEYOR_REPO_URL: z.string().min(1).optional(),
  CONVEYOR_BRANCH: z.string().min(1).default('main'),
  TEMPORAL_UI_URL: z.url().optional(),
  CONVEYOR_PIPELINE_SETTINGS: pipelineSettingsEnv.optional(),
});

/** Variables that point the Google clients at emulators: never set for the cloud target. */
const EMULATOR_VARIABLES = [
  'PUBSUB_EMULATOR_HOST',
  'CONVEYOR_STORAGE_ENDPOINT',
  'CONVEYOR_CLOUDBUILD_ENDPOINT',
  'CONVEYOR_AIPLATFORM_ENDPOINT',
] as const;

/** Where Temporal is and how to reach it. */
export interface TemporalTarget {
  readonly address: string;
  readonly namespace: string;
  /** Options for `Connection.connect`. */
  readonly connection: ConnectionOptions;
  /** The temporal.toml profile used, when one was. */
  readonly profile?: string | undefined;
  /** Web UI base URL, when one is known. */
  readonly uiBaseUrl?: string | undefined;
}

/** Where Google's services are (emulators when the endpoints are set). */
export interface GoogleTarget {
  readonly projectId?: string | undefined;
  readonly region: string;
  readonly pipelineRoot?: string | undefined;
  readonly serviceAccount?: string | undefined;
  readonly storageEndpoint?: string | undefined;
  readonly cloudBuildEndpoint?: string | undefined;
  readonly aiplatformEndpoint?: string | undefined;
  readonly pubsubEmulatorHost?: string | undefined;
  readonly topic: string;
  readonly subscription: string;
}

/** Everything a command needs to know about the system it talks to. */
export interface Target {
  readonly name: TargetName;
  /** Why this target: `--target`, `CONVEYOR_TARGET`, a profile, or the running local stack. */
  readonly chosenBy: string;
  readonly temporal: TemporalTarget;
  readonly google: GoogleTarget;
  readonly taskQueue: string;
  /** Repository runs build from: CONVEYOR_REPO_URL, or this checkout on the local target. */
  readonly repoUrl?: string | undefined;
  readonly branch: string;
  /** Operator settings (CONVEYOR_PIPELINE_SETTINGS), for the serving root of `models`. */
  readonly pipelineSettings: PipelineSettings;
  /** Local copies (reports) go under here: the stack's data directory, or the OS temp directory. */
  readonly dataDir: string;
  /** The local stack's configuration (local target only). */
  readonly stack?: StackConfig | undefined;
}

/** What target resolution needs from the machine (tests replace it). */
export interface TargetProbe {
  readonly cwd: string;
  readonly stackRunning: (config: StackConfig) => Promise<boolean>;
}

const machine: TargetProbe = { cwd: process.cwd(), stackRunning: localStackRunning };

function nonEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

function configError(variable: string, message: string): ConfigError {
  return new ConfigError([{ variable, message }]);
}

async function chooseTarget(
  flags: TargetFlags,
  env: Record<string, string>,
  probe: TargetProbe,
): Promise<{ name: TargetName; chosenBy: string }> {
  if (env['CONVEYOR_LOCAL'] !== undefined) {
    throw configError(
      'CONVEYOR_LOCAL',
      'is no longer read: set CONVEYOR_TARGET=local or CONVEYOR_TARGET=cloud',
    );
  }
  if (flags.target) return { name: flags.target as TargetName, chosenBy: '--target' };
  const fromEnv = env['CONVEYOR_TARGET'];
  if (fromEnv !== undefined) {
    if (!(TARGETS as readonly string[]).includes(fromEnv))
      throw configError('CONVEYOR_TARGET', `'${fromEnv}' is not one of ${TARGETS.join(', ')}`);
    return { name: fromEnv as TargetName, chosenBy: 'CONVEYOR_TARGET' };
  }
  const profile = flags.profile ?? env['TEMPORAL_PROFILE'];
  if (profile) return { name: 'cloud', chosenBy: `profile ${profile}` };
  if (insideCheckout(probe.cwd) && (await probe.stackRunning(localStackConfig(env))))
    return { name: 'local', chosenBy: 'the local stack of this checkout is running' };
  throw configError(
    'CONVEYOR_TARGET',
    'no target: set CONVEYOR_TARGET=cloud (or --target cloud, or a temporal.toml --profile) to use Google Cloud ' +
      'and your Temporal service, or start the local stack (npx conveyor stack up) and run from this checkout',
  );
}

/** Adds only `--target`, to a command that needs no connection (e.g. `hook install`: which bridge). */
export function addTargetNameOption(command: Command): Command {
  return command.addOption(targetOption().helpGroup(GROUP));
}

/**
 * Only which target, chosen like {@link resolveTarget} does (`--target`, CONVEYOR_TARGET, a profile, the
 * running local stack of this checkout), for commands that need no connection settings.
 * @throws ConfigError naming CONVEYOR_TARGET when nothing chooses one.
 */
export async function chooseTargetName(
  flags: Pick<TargetFlags, 'target' | 'profile'>,
  rawEnv: Record<string, string | undefined> = process.env,
  probe: TargetProbe = machine,
): Promise<{ name: TargetName; chosenBy: string }> {
  return chooseTarget(flags, nonEmpty(rawEnv), probe);
}

/**
 * Resolves the target of a command from its flags and the environment.
 * @throws ConfigError naming the variable to set (exit 78); FlagError for contradictory flags.
 */
export async function resolveTarget(
  flags: TargetFlags,
  rawEnv: Record<string, string | undefined> = process.env,
  probe: TargetProbe = machine,
): Promise<Target> {
  const given = nonEmpty(rawEnv);
  const { name, chosenBy } = await chooseTarget(flags, given, probe);
  let env = given;
  let stack: StackConfig | undefined;
  if (name === 'local') {
    stack = localStackConfig(given);
    // The stack's addresses fill what the environment leaves unset (tests point single services elsewhere).
    env = {
      ...localEnvironment(stack),
      TEMPORAL_UI_URL: `http://${stack.host}:${stack.ports.temporalUi}`,
      ...given,
    };
  } else {
    const emulators = EMULATOR_VARIABLES.filter((v) => given[v] !== undefined);
    if (emulators.length > 0) {
      throw new ConfigError(
        emulators.map((variable) => ({
          variable,
          message: 'points at an emulator, but the target is cloud: unset it, or use --target local',
        })),
      );
    }
  }
  const e = parseEnv(cliEnvSchema, env);
  const profile = temporalProfile(flags, env, name);
  const address = profile.address;
  if (!address) {
    throw configError(
      'TEMPORAL_ADDRESS',
      'the cloud target needs the Temporal service: set TEMPORAL_ADDRESS (or --address), or use a temporal.toml profile (--profile, TEMPORAL_PROFILE)',
    );
  }
  const client = toClientOptions(profile);
  const namespace = client.namespace ?? 'default';
  const project = e.GOOGLE_CLOUD_PROJECT;
  return {
    name,
    chosenBy,
    temporal: {
      address,
      namespace,
      connection: {
        ...(client.connectionOptions as ConnectionOptions),
        tls: clientTls(client.connectionOptions.tls),
      },
      profile: flags.profile ?? given['TEMPORAL_PROFILE'],
      uiBaseUrl: webUiBaseUrl(e.TEMPORAL_UI_URL, address),
    },
    google: {
      projectId: project,
      region: e.CONVEYOR_REGION,
      pipelineRoot: e.CONVEYOR_PIPELINE_ROOT ?? (project ? defaultPipelineRoot(project) : undefined),
      serviceAccount: e.CONVEYOR_SERVICE_ACCOUNT,
      storageEndpoint: e.CONVEYOR_STORAGE_ENDPOINT,
      cloudBuildEndpoint: e.CONVEYOR_CLOUDBUILD_ENDPOINT,
      aiplatformEndpoint: e.CONVEYOR_AIPLATFORM_ENDPOINT,
      pubsubEmulatorHost: e.PUBSUB_EMULATOR_HOST,
      topic: e.CONVEYOR_TOPIC,
      subscription: e.CONVEYOR_SUBSCRIPTION,
    },
    taskQueue: e.CONVEYOR_TASK_QUEUE,
    repoUrl: e.CONVEYOR_REPO_URL ?? (name === 'local' ? repoRoot : undefined),
    branch: e.CONVEYOR_BRANCH,
    pipelineSettings: e.CONVEYOR_PIPELINE_SETTINGS ?? {},
    dataDir: stack?.dataDir ?? join(tmpdir(), 'conveyor'),
    stack,
  };
}

/** The one line naming what a command talks to, e.g. `local: Temporal 127.0.0.1:7233 (namespace default) · project conveyor-local`. */
export function describeTarget(target: Target): string {
  const t = target.temporal;
  const profile = t.profile ? `, profile ${t.profile}` : '';
  const project = target.google.projectId ?? '(GOOGLE_CLOUD_PROJECT unset)';
  const emulated = target.google.storageEndpoint || target.google.pubsubEmulatorHost ? ' (emulators)' : '';
  return `${target.name}: Temporal ${t.address} (namespace ${t.namespace}${profile}) · Google project ${project}${emulated}`;
}

/** The project, or a ConfigError naming GOOGLE_CLOUD_PROJECT. */
export function requireProject(target: Target): string {
  const project = target.google.projectId;
  if (!project)
    throw configError('GOOGLE_CLOUD_PROJECT', 'this command talks to Google Cloud: set the project id');
  return project;
}

/** The repository runs build from (`--repo` wins), or a ConfigError naming CONVEYOR_REPO_URL. */
export function requireRepoUrl(target: Target, flag: string | undefined): string {
  const url = flag ?? target.repoUrl;
  if (!url)
    throw configError(
      'CONVEYOR_REPO_URL',
      'the cloud target builds from a repository the worker can clone: set it, or pass --repo',
    );
  return url;
}
