import { resolve } from 'node:path';
import { z } from 'zod';
import { SourceSchema, TaskQueues } from '@conveyor/contracts';
import { uriProblem } from '@conveyor/pipeline/spec';
import {
  commaSeparated,
  ConfigError,
  otelEnvShape,
  parseEnv,
  temporalConfigFromEnv,
  tracingConfigFromEnv,
  withTemporalEnv,
  type TemporalConfig,
} from '@conveyor/platform';
import type { TracingConfig } from '@conveyor/platform/tracing';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Comma-separated `gs://bucket[/folder]` prefixes. */
const gsPrefixes = commaSeparated(
  z.string().superRefine((p, ctx) => {
    const problem = uriProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
);

/** The bridge's environment, every variable named. */
export const bridgeEnvSchema = withTemporalEnv({
  GOOGLE_CLOUD_PROJECT: z.string().min(1).default('conveyor-local'),
  /** pstest / Pub/Sub emulator `host:port`; Google Cloud when unset. */
  PUBSUB_EMULATOR_HOST: z
    .string()
    .regex(/^[^:/]+:\d+$/, 'must be host:port')
    .optional(),
  CONVEYOR_TOPIC: z.string().min(1).default('conveyor-training'),
  CONVEYOR_SUBSCRIPTION: z.string().min(1).default('conveyor-training-bridge'),
  CONVEYOR_DEAD_LETTER_TOPIC: z.string().min(1).default('conveyor-training-dead-letter'),
  /** Run the streaming-pull subscriber (turn off for a push-only deployment). */
  CONVEYOR_PULL: bool.default(true),
  /** Create topic, subscription and dead-letter topic when missing (local mode). */
  CONVEYOR_ENSURE_RESOURCES: bool.default(false),
  /** Flow control: messages held at once. 100 keeps ~100 concurrent starts, well inside one client's gRPC budget. */
  CONVEYOR_MAX_MESSAGES: z.coerce.number().int().min(1).default(100),
  /** Flow control: bytes held at once (10 MiB). */
  CONVEYOR_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** Bodies above this are dead-lettered: hyperparameters are tiny, 64 KiB is generous. */
  CONVEYOR_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(16)
    .default(64 * 1024),
  /** Pipeline of messages without a `pipeline` attribute. */
  CONVEYOR_DEFAULT_PIPELINE: z.string().min(1).default('penguins'),
  /**
   * Repository runs build from; defaults to this checkout (local mode). Without credentials: it is
   * written into every run's request; the worker's git configuration holds them.
   */
  CONVEYOR_REPO_URL: SourceSchema.shape.repoUrl.optional(),
  /** Branch of messages without a `branch` attribute. */
  CONVEYOR_BRANCH: z.string().min(1).default('main'),
  CONVEYOR_TASK_QUEUE: z.string().min(1).default(TaskQueues.training),
  /** Deadline of one start call: past it the message is nacked and retried (Temporal unreachable). */
  CONVEYOR_START_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Longest wait before a nack while Temporal is failing (exponential backoff cap). */
  CONVEYOR_MAX_BACKOFF_MS: z.coerce.number().int().min(0).default(30_000),
  /** SIGTERM: how long in-flight messages may take to finish before the rest are nacked. */
  CONVEYOR_DRAIN_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  CONVEYOR_BRIDGE_HOST: z.string().min(1).default('127.0.0.1'),
  /** HTTP port of /healthz, /readyz, /metrics and /pubsub/push; 0 picks a free port. */
  CONVEYOR_BRIDGE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Push mode, local: the shared bearer token Pub/Sub (or a test) sends. */
  CONVEYOR_PUSH_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  /** Push mode, Google: the OIDC token audience configured on the push subscription. */
  CONVEYOR_PUSH_AUDIENCE: z.string().min(1).optional(),
  /** Push mode, Google: the service account the push subscription signs tokens as. */
  CONVEYOR_PUSH_SERVICE_ACCOUNT: z.email().optional(),
  ...otelEnvShape,
  /**
   * Where a message's `spec` attribute may point (gs:// prefixes, comma-separated). Unset: the
   * attribute is refused, since a precompiled spec picks the images and commands a run executes.
   */
  CONVEYOR_SPEC_PREFIXES: gsPrefixes.optional(),
  /**
   * GitHub push webhook (`POST /webhooks/github`): the webhook's secret. Unset, and no
   * CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE: the endpoint is off (404).
   */
  CONVEYOR_GITHUB_WEBHOOK_SECRET: z.string().min(16, 'use at least 16 characters').optional(),
  /** The webhook's secret in a file (a mounted secret), read for each delivery: rotating needs no restart. */
  CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE: z.string().min(1).optional(),
  /**
   * Branches whose pushes train: names or globs (`release/*`; `*` stays within one `/` segment,
   * `**` crosses them), comma-separated. @default CONVEYOR_BRANCH
   */
  CONVEYOR_GITHUB_BRANCHES: commaSeparated(z.string().min(1)).pipe(z.array(z.string()).min(1)).optional(),
  /** Pipelines a push trains, comma-separated. @default CONVEYOR_DEFAULT_PIPELINE */
  CONVEYOR_GITHUB_PIPELINES: commaSeparated(
    z.string().regex(/^[a-z][a-z0-9-]*$/, 'a pipeline is a lowercase name'),
  )
    .pipe(z.array(z.string()).min(1))
    .optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
}).superRefine((env, ctx) => {
  const e = env as Record<string, unknown>;
  const secret = e['CONVEYOR_GITHUB_WEBHOOK_SECRET'] !== undefined;
  const secretFile = e['CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE'] !== undefined;
  if (secret && secretFile) {
    ctx.addIssue({
      code: 'custom',
      path: ['CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE'],
      message: 'set CONVEYOR_GITHUB_WEBHOOK_SECRET or CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE, not both',
    });
  }
  for (const name of ['CONVEYOR_GITHUB_BRANCHES', 'CONVEYOR_GITHUB_PIPELINES']) {
    if (e[name] !== undefined && !secret && !secretFile) {
      ctx.addIssue({
        code: 'custom',
        path: ['CONVEYOR_GITHUB_WEBHOOK_SECRET'],
        message: `${name} is set but the webhook has no secret, so it is off: set CONVEYOR_GITHUB_WEBHOOK_SECRET (or _FILE)`,
      });
    }
  }
  if ((e['CONVEYOR_PUSH_AUDIENCE'] === undefined) !== (e['CONVEYOR_PUSH_SERVICE_ACCOUNT'] === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [
        e['CONVEYOR_PUSH_AUDIENCE'] === undefined
          ? 'CONVEYOR_PUSH_AUDIENCE'
          : 'CONVEYOR_PUSH_SERVICE_ACCOUNT',
      ],
      message: 'CONVEYOR_PUSH_AUDIENCE and CONVEYOR_PUSH_SERVICE_ACCOUNT must be set together',
    });
  }
});

/** How push requests are authenticated. */
export type PushAuthConfig =
  | { readonly kind: 'oidc'; readonly audience: string; readonly serviceAccount: string }
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'disabled' };

/** Where the webhook's secret comes from. */
export type WebhookSecretSource =
  { readonly kind: 'value'; readonly value: string } | { readonly kind: 'file'; readonly path: string };

/** The GitHub push webhook, when it is on. */
export interface GithubWebhookConfig {
  readonly secret: WebhookSecretSource;
  /** Branch names or globs whose pushes train. */
  readonly branches: readonly string[];
  /** Pipelines each push trains. */
  readonly pipelines: readonly string[];
}

/** The bridge's typed configuration. */
export interface BridgeConfig {
  readonly temporal: TemporalConfig;
  readonly taskQueue: string;
  readonly projectId: string;
  readonly emulatorHost?: string | undefined;
  readonly topic: string;
  readonly subscription: string;
  readonly deadLetterTopic: string;
  readonly pull: boolean;
  readonly ensureResources: boolean;
  readonly flowControl: { readonly maxMessages: number; readonly maxBytes: number };
  readonly maxMessageBytes: number;
  readonly defaultPipeline: string;
  /** gs:// prefixes a `spec` attribute may point into; undefined: the attribute is refused. */
  readonly specPrefixes?: readonly string[] | undefined;
  readonly repoUrl: string;
  readonly branch: string;
  readonly startTimeoutMs: number;
  readonly maxBackoffMs: number;
  readonly drainTimeoutMs: number;
  readonly http: { readonly host: string; readonly port: number };
  readonly pushAuth: PushAuthConfig;
  /** `POST /webhooks/github`; undefined: off (404). */
  readonly github?: GithubWebhookConfig | undefined;
  /** Where spans go (OTLP endpoint); tracing is off without an endpoint. */
  readonly tracing: TracingConfig;
  readonly logLevel: string;
}

/**
 * Parses the environment once. `defaultRepoUrl` is used when CONVEYOR_REPO_URL is unset.
 * @throws ConfigError naming every bad variable.
 */
export function loadConfig(env: Record<string, string | undefined>, defaultRepoUrl: string): BridgeConfig {
  const e = parseEnv(bridgeEnvSchema, env);
  let pushAuth: PushAuthConfig = { kind: 'disabled' };
  if (e.CONVEYOR_PUSH_AUDIENCE && e.CONVEYOR_PUSH_SERVICE_ACCOUNT) {
    pushAuth = {
      kind: 'oidc',
      audience: e.CONVEYOR_PUSH_AUDIENCE,
      serviceAccount: e.CONVEYOR_PUSH_SERVICE_ACCOUNT,
    };
  } else if (e.CONVEYOR_PUSH_TOKEN) {
    pushAuth = { kind: 'token', token: e.CONVEYOR_PUSH_TOKEN };
  }
  const secret: WebhookSecretSource | undefined = e.CONVEYOR_GITHUB_WEBHOOK_SECRET
    ? { kind: 'value', value: e.CONVEYOR_GITHUB_WEBHOOK_SECRET }
    : e.CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE
      ? { kind: 'file', path: resolve(e.CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE) }
      : undefined;
  return {
    temporal: temporalConfigFromEnv(e),
    taskQueue: e.CONVEYOR_TASK_QUEUE,
    projectId: e.GOOGLE_CLOUD_PROJECT,
    emulatorHost: e.PUBSUB_EMULATOR_HOST,
    topic: e.CONVEYOR_TOPIC,
    subscription: e.CONVEYOR_SUBSCRIPTION,
    deadLetterTopic: e.CONVEYOR_DEAD_LETTER_TOPIC,
    pull: e.CONVEYOR_PULL,
    ensureResources: e.CONVEYOR_ENSURE_RESOURCES,
    flowControl: { maxMessages: e.CONVEYOR_MAX_MESSAGES, maxBytes: e.CONVEYOR_MAX_BYTES },
    maxMessageBytes: e.CONVEYOR_MAX_MESSAGE_BYTES,
    defaultPipeline: e.CONVEYOR_DEFAULT_PIPELINE,
    specPrefixes: e.CONVEYOR_SPEC_PREFIXES,
    repoUrl: e.CONVEYOR_REPO_URL ?? resolve(defaultRepoUrl),
    branch: e.CONVEYOR_BRANCH,
    startTimeoutMs: e.CONVEYOR_START_TIMEOUT_MS,
    maxBackoffMs: e.CONVEYOR_MAX_BACKOFF_MS,
    drainTimeoutMs: e.CONVEYOR_DRAIN_TIMEOUT_MS,
    http: { host: e.CONVEYOR_BRIDGE_HOST, port: e.CONVEYOR_BRIDGE_PORT },
    pushAuth,
    github: secret && {
      secret,
      branches: e.CONVEYOR_GITHUB_BRANCHES ?? [e.CONVEYOR_BRANCH],
      pipelines: e.CONVEYOR_GITHUB_PIPELINES ?? [e.CONVEYOR_DEFAULT_PIPELINE],
    },
    tracing: tracingConfigFromEnv(e, 'conveyor-bridge'),
    logLevel: e.LOG_LEVEL,
  };
}

/**
 * Refuses webhook pipelines the bridge does not know: an operator's typo fails at start, naming the
 * variable, instead of on the first push. (A message naming an unknown pipeline is dead-lettered.)
 * @throws ConfigError naming CONVEYOR_GITHUB_PIPELINES (or CONVEYOR_DEFAULT_PIPELINE, its default).
 */
export function assertKnownPipelines(config: BridgeConfig, registered: readonly string[]): void {
  const unknown = (config.github?.pipelines ?? []).filter((p) => !registered.includes(p));
  if (unknown.length === 0) return;
  const variable =
    config.github?.pipelines.length === 1 && config.github.pipelines[0] === config.defaultPipeline
      ? 'CONVEYOR_DEFAULT_PIPELINE'
      : 'CONVEYOR_GITHUB_PIPELINES';
  throw new ConfigError([
    {
      variable,
      message: `unknown pipeline ${unknown.map((p) => `'${p}'`).join(', ')} (registered: ${registered.join(', ')})`,
    },
  ]);
}
