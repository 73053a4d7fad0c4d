// One time-skipping environment and one workflow bundle per test file; a worker per test case over
// a fresh fake cloud on its own task queue.
import { createRequire } from 'node:module';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { SearchAttributes } from '@conveyor/contracts';
import { timeSkippingEnvironment, uniqueName } from '@conveyor/testing';
import { fakeCloud, type FakeCloud } from './fake-cloud.ts';

const require = createRequire(import.meta.url);
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** What a test case gets: the environment, its task queue and the fake cloud its worker uses. */
export interface Case {
  readonly env: TestWorkflowEnvironment;
  readonly taskQueue: string;
  readonly cloud: FakeCloud;
}

/** The per-file setup: call in `beforeAll`, `close` in `afterAll`. */
export async function workflowTestEnv(): Promise<{
  env: TestWorkflowEnvironment;
  /** Runs `body` while a worker with a fresh fake cloud serves its task queue. */
  run<T>(body: (c: Case) => Promise<T>, prepare?: (cloud: FakeCloud) => void): Promise<T>;
  close(): Promise<void>;
}> {
  const [env, bundle] = await Promise.all([
    timeSkippingEnvironment(Object.values(SearchAttributes)),
    bundleWorkflowCode({ workflowsPath: require.resolve('@conveyor/workflows'), logger: quiet }),
  ]);
  return {
    env,
    async run(body, prepare) {
      const taskQueue = uniqueName('wf');
      const cloud = fakeCloud(env.client, taskQueue);
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
