// One time-skipping environment and one workflow bundle per test file; a worker per test case over
// a fresh fake cloud on its own task queue.
import { createRequire } from 'node:module';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { inject } from 'vitest';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { SearchAttributes } from '@conveyor/contracts';
import { timeSkippingEnvironment, uniqueName } from '@conveyor/testing';
import { fakeCloud, type FakeCloud } from './fake-cloud.ts';

const require = createRequire(import.meta.url);
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

// Workers log every stage at INFO; the tests assert on results, so only problems are shown.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed by another file in this worker process.
}

/** What a test case gets: the environment, its task queue and the fake cloud its worker uses. */
export interface Case {
  readonly env: TestWorkflowEnvironment;
  readonly taskQueue: string;
  readonly cloud: FakeCloud;
}

/**
 * The per-file setup: call in `beforeAll`, `close` in `afterAll`. `time-skipping` (the default) runs on
 * Temporal's test server, where hours of polling pass at once; `dev` runs on the stack's dev server
 * with short polls, for cases the test server cannot run: it hangs when several workflows
 * signal-with-start the same, not yet existing, workflow id at once (seen with 1.40.0), which is
 * exactly how concurrent runs attach to one image build.
 */
export async function workflowTestEnv(server: 'time-skipping' | 'dev' = 'time-skipping'): Promise<{
  env: TestWorkflowEnvironment;
  /** Runs `body` while a worker with a fresh fake cloud serves its task queue. */
  run<T>(body: (c: Case) => Promise<T>, prepare?: (cloud: FakeCloud) => void): Promise<T>;
  close(): Promise<void>;
}> {
  const [env, bundle] = await Promise.all([
    server === 'dev'
      ? TestWorkflowEnvironment.createFromExistingServer({ address: inject('stack').temporal.address })
      : timeSkippingEnvironment(Object.values(SearchAttributes)),
    bundleWorkflowCode({ workflowsPath: require.resolve('@conveyor/workflows'), logger: quiet }),
  ]);
  return {
    env,
    async run(body, prepare) {
      const taskQueue = uniqueName('wf');
      // On the test server, simulated time between polls: a 2-hour build wait in 6 attempts, a 7-day
      // job wait in 28. On the dev server, real time.
      const pollMs = server === 'dev' ? { build: 200, job: 200 } : { build: 20 * 60_000, job: 6 * 3_600_000 };
      const cloud = fakeCloud(env.client, taskQueue, pollMs);
      prepare?.(cloud);
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: bundle as WorkflowBundleWithSourceMap,
        activities: cloud.activities,
      });
      return worker.runUntil(body({ env, taskQueue, cloud }));
    },
    close: () => env.teardown(),
  };
}
