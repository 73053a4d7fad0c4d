// Bringing up what the demo needs: the local stack (reusing what runs) and, when the stack does not
// run them itself, the worker and the bridge as children of the demo.
import { execFileSync } from 'node:child_process';
import { localEnvironment, stackUp, type StackContext, type UpResult } from '@conveyor/stack';
import { startApp, type DemoApp } from './apps.ts';

/** The running setup. */
export interface DemoSetup {
  readonly up: UpResult;
  /** The environment of local mode (the stack's addresses over the caller's variables). */
  readonly env: Record<string, string | undefined>;
  /** Apps the demo started itself (not part of the stack). */
  readonly apps: readonly DemoApp[];
  readonly repoUrl: string;
  readonly branch: string;
  readonly pipelineRoot: string;
  /** Stops the apps the demo started and the stack services this call started. */
  stop(stopStack: (names: readonly string[]) => Promise<unknown>): Promise<void>;
}

/** The checkout's current branch (builds clone it), or `main` when detached. */
function currentBranch(repoRoot: string): string {
  try {
    return (
      execFileSync('git', ['symbolic-ref', '--short', 'HEAD'], {
        cwd: repoRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() || 'main'
    );
  } catch {
    return 'main';
  }
}

/**
 * Starts the stack and whatever of worker/bridge it lacks. The Conveyor checkout is the repository
 * the builds clone (committed code of its current branch), unless CONVEYOR_REPO_URL says otherwise.
 */
export async function setUpDemo(ctx: StackContext, log: (line: string) => void): Promise<DemoSetup> {
  const { config } = ctx;
  const up = await stackUp(ctx);
  const running = new Set(up.status.filter((s) => s.health.healthy).map((s) => s.name as string));
  const caller = ctx.env;
  const env: Record<string, string | undefined> = { ...caller, ...localEnvironment(config) };
  const repoUrl = caller['CONVEYOR_REPO_URL'] || config.repoRoot;
  const branch = caller['CONVEYOR_BRANCH'] || currentBranch(config.repoRoot);
  const pipelineRoot = caller['CONVEYOR_PIPELINE_ROOT'] || `gs://${config.projectId}-conveyor/pipeline-root`;
  const apps: DemoApp[] = [];
  const stop = async (stopStack: (names: readonly string[]) => Promise<unknown>) => {
    await Promise.allSettled(apps.map((a) => a.stop()));
    if (up.started.length) await stopStack(up.started);
  };
  try {
    const starts: Promise<DemoApp>[] = [];
    if (!running.has('worker')) {
      log('starting the worker (not part of the stack yet)…');
      starts.push(
        startApp({
          name: 'worker',
          repoRoot: config.repoRoot,
          dataDir: config.dataDir,
          // Local jobs take seconds: poll every second instead of Google's 10 s.
          env: { ...env, CONVEYOR_POLL_INTERVAL_MS: '1000', CONVEYOR_PIPELINE_ROOT: pipelineRoot },
          readyText: '"worker started"',
          // Bundling the workflow code takes ~10 s; a loaded 2-core machine needs more.
          timeoutMs: 120_000,
        }),
      );
    }
    if (!running.has('bridge')) {
      log('starting the bridge (not part of the stack yet)…');
      starts.push(
        startApp({
          name: 'bridge',
          repoRoot: config.repoRoot,
          dataDir: config.dataDir,
          // Local mode: the bridge creates topic, subscription (dead-letter policy) and dead-letter topic.
          env: {
            ...env,
            CONVEYOR_ENSURE_RESOURCES: 'true',
            CONVEYOR_REPO_URL: repoUrl,
            CONVEYOR_BRANCH: branch,
          },
          readyText: '"bridge listening"',
          timeoutMs: 60_000,
        }),
      );
    }
    const results = await Promise.allSettled(starts);
    for (const r of results) if (r.status === 'fulfilled') apps.push(r.value);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (e: unknown) {
    await Promise.allSettled(apps.map((a) => a.stop()));
    throw e;
  }
  return { up, env, apps, repoUrl, branch, pipelineRoot, stop };
}
