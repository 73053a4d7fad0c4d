// Bringing up what the demo needs: the local stack (reusing what runs) — Temporal, Pub/Sub with the
// topic, subscription and dead-letter topic, fake GCS, the Google emulators, the worker, the bridge.
import { localEnvironment, stackUp, type StackContext, type UpResult } from '@conveyor/stack';

/** The running setup. */
export interface DemoSetup {
  readonly up: UpResult;
  /** The environment of local mode (the stack's addresses over the caller's variables). */
  readonly env: Record<string, string | undefined>;
  /** Repository and branch the runs build from: what the stack's bridge uses. */
  readonly repoUrl: string;
  readonly branch: string;
}

/**
 * Starts whatever of the stack is not running. The Conveyor checkout is the repository the builds
 * clone (the committed code of its `main` branch), unless CONVEYOR_REPO_URL / CONVEYOR_BRANCH say
 * otherwise — the same defaults the bridge applies.
 */
export async function setUpDemo(ctx: StackContext): Promise<DemoSetup> {
  const { config } = ctx;
  const up = await stackUp(ctx);
  const caller = ctx.env;
  return {
    up,
    env: { ...caller, ...localEnvironment(config) },
    repoUrl: caller['CONVEYOR_REPO_URL'] || config.repoRoot,
    branch: caller['CONVEYOR_BRANCH'] || 'main',
  };
}
