// Clients of the trigger commands (schedule, publish) from the environment: the local stack's
// addresses fill whatever the environment leaves unset, unless CONVEYOR_LOCAL=false.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PubSub } from '@google-cloud/pubsub';
import { Client, Connection } from '@temporalio/client';
import { z } from 'zod';
import { TaskQueues } from '@conveyor/contracts';
import {
  parseEnv,
  temporalConfigFromEnv,
  temporalConnectionOptions,
  withTemporalEnv,
} from '@conveyor/platform';
import { localEnvironment, stackConfigFromEnv } from '@conveyor/stack';

/** The repository root (apps/cli/src/schedule → four levels up): local runs build from this checkout. */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** Variables the trigger commands read, parsed once with zod (each problem names its variable). */
const triggerEnvSchema = withTemporalEnv({
  GOOGLE_CLOUD_PROJECT: z.string().min(1).default('conveyor-local'),
  PUBSUB_EMULATOR_HOST: z
    .string()
    .regex(/^[^:/]+:\d+$/, 'must be host:port')
    .optional(),
  CONVEYOR_TOPIC: z.string().min(1).default('conveyor-training'),
  CONVEYOR_TASK_QUEUE: z.string().min(1).default(TaskQueues.training),
  /** Repository schedules build from; defaults to this checkout. */
  CONVEYOR_REPO_URL: z.string().min(1).optional(),
  CONVEYOR_BRANCH: z.string().min(1).default('main'),
});

/** The parsed trigger environment. */
export type TriggerEnv = z.output<typeof triggerEnvSchema> & { readonly repoUrl: string };

/**
 * Parses the environment once per command. Local-stack defaults (Temporal, Pub/Sub emulator) apply
 * unless CONVEYOR_LOCAL=false, so `conveyor publish` on a laptop reaches the emulator.
 * @throws ConfigError naming the variable
 */
export function triggerEnv(env: Record<string, string | undefined> = process.env): TriggerEnv {
  const local = env['CONVEYOR_LOCAL'] === 'false' ? {} : localEnvironment(stackConfigFromEnv(env, repoRoot));
  const merged = {
    ...local,
    ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  };
  const parsed = parseEnv(triggerEnvSchema, merged);
  return { ...parsed, repoUrl: parsed.CONVEYOR_REPO_URL ?? repoRoot };
}

/** Connects to Temporal; the caller closes the connection. */
export async function connectTemporal(env: TriggerEnv): Promise<{ connection: Connection; client: Client }> {
  const connection = await Connection.connect(temporalConnectionOptions(temporalConfigFromEnv(env)));
  return { connection, client: new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }) };
}

/** A Pub/Sub client (the emulator when PUBSUB_EMULATOR_HOST is set; never universeDomain there). */
export function pubsubClient(env: TriggerEnv): PubSub {
  // Emulator: without this the Google auth library probes the GCE metadata server and warns.
  if (env.PUBSUB_EMULATOR_HOST) process.env['METADATA_SERVER_DETECTION'] ??= 'none';
  return env.PUBSUB_EMULATOR_HOST
    ? new PubSub({
        projectId: env.GOOGLE_CLOUD_PROJECT,
        apiEndpoint: env.PUBSUB_EMULATOR_HOST,
        emulatorMode: true,
      })
    : new PubSub({ projectId: env.GOOGLE_CLOUD_PROJECT });
}

/** Runs `fn` with a connected client and always closes the connection. */
export async function withTemporal<T>(fn: (client: Client, env: TriggerEnv) => Promise<T>): Promise<T> {
  const env = triggerEnv();
  const { connection, client } = await connectTemporal(env);
  try {
    return await fn(client, env);
  } finally {
    await connection.close();
  }
}
