// Where a bench finds the local stack: the environment `conveyor stack` gives its services (from the
// CONVEYOR_*_PORT variables, like every other tool), except that what the caller set itself
// (TEMPORAL_ADDRESS, PUBSUB_EMULATOR_HOST, …) wins, so a bench can be pointed at another server.
import { repoRoot } from '@conveyor/platform/repo-root';
import { localEnvironment, stackConfigFromEnv } from '@conveyor/stack';

/** The local stack's environment under `env`, the caller's own values first. */
export function benchStackEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const local = localEnvironment(stackConfigFromEnv(env, repoRoot));
  for (const key of Object.keys(local)) {
    const own = env[key];
    if (own) local[key] = own;
  }
  return local;
}
