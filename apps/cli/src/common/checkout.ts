// Where this Conveyor checkout is: the repository root and its local stack's configuration.
import { relative, resolve, isAbsolute } from 'node:path';
import { repoRoot } from '@conveyor/platform/repo-root';
import { stackConfigFromEnv, type StackConfig, type StackContext } from '@conveyor/stack';

export { repoRoot };

/** The local stack's configuration from an environment (ports, data directory, namespace). */
export function localStackConfig(env: Record<string, string | undefined> = process.env): StackConfig {
  return stackConfigFromEnv(env, repoRoot);
}

/** The stack context of this process: configuration from the environment, progress to stderr unless quiet. */
export function stackContext(quiet = false): StackContext {
  return {
    config: localStackConfig(),
    env: process.env,
    log: quiet ? undefined : (line) => console.error(line),
  };
}

/** Whether `dir` is this checkout or inside it. */
export function insideCheckout(dir: string): boolean {
  const rel = relative(repoRoot, resolve(dir));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
