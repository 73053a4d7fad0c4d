import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

/** Where the local stack listens and keeps its files. */
export interface StackConfig {
  /** Repository root: the Go sources of tools/pubsub-emulator and the apps live below it. */
  readonly repoRoot: string;
  /** Data, logs and PID files. @default `<repoRoot>/.data` */
  readonly dataDir: string;
  /** Per-machine cache of installed binaries, outside the repo. @default `$XDG_CACHE_HOME/conveyor` or `~/.cache/conveyor` */
  readonly cacheDir: string;
  /** Every service binds this host only. @default 127.0.0.1 */
  readonly host: string;
  readonly ports: {
    /** Temporal gRPC frontend. @default 7233 */
    readonly temporal: number;
    /** Temporal Web UI. @default 8233 */
    readonly temporalUi: number;
    /** Pub/Sub emulator (pstest). @default 8085 */
    readonly pubsub: number;
    /** fake-gcs-server. @default 4443 */
    readonly gcs: number;
    /** Conveyor's Cloud Build + Vertex AI emulator. @default 8090 */
    readonly emulator: number;
    /** The emulator's admin HTTP endpoint (fault injection, health). @default 8091 */
    readonly emulatorAdmin: number;
    /** The bridge's HTTP endpoint (push, health, stats). @default 8080 */
    readonly bridge: number;
    /**
     * The worker's Prometheus endpoint (`/metrics`). Defaults to the Temporal port + 2000 (9233), so
     * stacks moved to other ports for side-by-side use do not collide on it.
     */
    readonly workerMetrics: number;
  };
  /** Temporal namespace the dev server creates. @default default */
  readonly namespace: string;
  /** Project id the emulators and local mode use. @default conveyor-local */
  readonly projectId: string;
}

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const envSchema = z.object({
  CONVEYOR_DATA_DIR: z.string().min(1).optional(),
  CONVEYOR_CACHE_DIR: z.string().min(1).optional(),
  XDG_CACHE_HOME: z.string().min(1).optional(),
  CONVEYOR_HOST: z.string().min(1).default('127.0.0.1'),
  CONVEYOR_TEMPORAL_PORT: port(7233),
  CONVEYOR_TEMPORAL_UI_PORT: port(8233),
  CONVEYOR_PUBSUB_PORT: port(8085),
  CONVEYOR_GCS_PORT: port(4443),
  CONVEYOR_EMULATOR_PORT: port(8090),
  CONVEYOR_EMULATOR_ADMIN_PORT: port(8091),
  CONVEYOR_BRIDGE_PORT: port(8080),
  CONVEYOR_WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  GOOGLE_CLOUD_PROJECT: z.string().min(1).default('conveyor-local'),
});

/** A configuration problem; the message names every offending variable. */
export class StackConfigError extends Error {
  override readonly name = 'StackConfigError';
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid stack configuration:\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

/**
 * Builds the stack configuration from an environment (the caller passes `process.env`; this library
 * never reads it itself). Relative directories resolve against `repoRoot`.
 * @throws StackConfigError naming each bad variable
 */
export function stackConfigFromEnv(env: Record<string, string | undefined>, repoRoot: string): StackConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new StackConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const workerMetrics = e.CONVEYOR_WORKER_METRICS_PORT ?? e.CONVEYOR_TEMPORAL_PORT + 2000;
  if (workerMetrics > 65535) {
    throw new StackConfigError([
      `CONVEYOR_WORKER_METRICS_PORT: the default (Temporal port + 2000 = ${workerMetrics}) is no port; set it`,
    ]);
  }
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(repoRoot, p));
  return {
    repoRoot,
    dataDir: abs(e.CONVEYOR_DATA_DIR ?? '.data'),
    cacheDir: e.CONVEYOR_CACHE_DIR
      ? abs(e.CONVEYOR_CACHE_DIR)
      : join(e.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'conveyor'),
    host: e.CONVEYOR_HOST,
    ports: {
      temporal: e.CONVEYOR_TEMPORAL_PORT,
      temporalUi: e.CONVEYOR_TEMPORAL_UI_PORT,
      pubsub: e.CONVEYOR_PUBSUB_PORT,
      gcs: e.CONVEYOR_GCS_PORT,
      emulator: e.CONVEYOR_EMULATOR_PORT,
      emulatorAdmin: e.CONVEYOR_EMULATOR_ADMIN_PORT,
      bridge: e.CONVEYOR_BRIDGE_PORT,
      workerMetrics,
    },
    namespace: e.TEMPORAL_NAMESPACE,
    projectId: e.GOOGLE_CLOUD_PROJECT,
  };
}

/**
 * The GitHub webhook secret of the local stack's bridge, and of `conveyor hook install` when the
 * environment names none. A fixed value is enough here: the stack listens on loopback only, where its
 * Temporal server already takes unauthenticated starts. Deployments set their own (docs/deploy.md).
 */
export const LOCAL_WEBHOOK_SECRET = 'conveyor-local-webhook-secret';

/** The environment that points Conveyor's apps and the Google clients at this stack. */
export function localEnvironment(config: StackConfig): Record<string, string> {
  const h = config.host;
  return {
    TEMPORAL_ADDRESS: `${h}:${config.ports.temporal}`,
    TEMPORAL_NAMESPACE: config.namespace,
    GOOGLE_CLOUD_PROJECT: config.projectId,
    PUBSUB_EMULATOR_HOST: `${h}:${config.ports.pubsub}`,
    CONVEYOR_STORAGE_ENDPOINT: `http://${h}:${config.ports.gcs}`,
    CONVEYOR_CLOUDBUILD_ENDPOINT: `${h}:${config.ports.emulator}`,
    CONVEYOR_AIPLATFORM_ENDPOINT: `${h}:${config.ports.emulator}`,
    // The emulator's admin endpoint serves the registry read API over its local images.
    CONVEYOR_REGISTRY_ENDPOINT: `http://${h}:${config.ports.emulatorAdmin}`,
    CONVEYOR_TOPIC: 'conveyor-training',
    CONVEYOR_SUBSCRIPTION: 'conveyor-training-bridge',
    CONVEYOR_DEAD_LETTER_TOPIC: 'conveyor-training-dead-letter',
    // Without this the Google clients probe the GCE metadata server even when pointed at emulators.
    METADATA_SERVER_DETECTION: 'none',
  };
}
