import { NativeConnection, type Worker } from '@temporalio/worker';
import type { PipelineCatalog } from '@conveyor/activities';
import { temporalConnectionOptions } from '@conveyor/platform';
import { startTracing } from '@conveyor/platform/tracing';
import type { WorkerConfig } from './config.ts';
import { createWorkerDeps } from './deps.ts';
import { createConveyorWorker } from './worker.ts';

/** A worker wired to its connection and clients, and how to release them after it stopped. */
export interface ComposedWorker {
  readonly worker: Worker;
  /** Closes the Google clients and the Temporal connection and flushes spans; call after `worker.run()` returned. */
  close(): Promise<void>;
}

/**
 * The worker's composition from parsed config: tracing, Temporal connection, clients and activities
 * over `catalog`, workflows. Shared by `main.ts` and the crash tests' worker process, so both run the same
 * wiring with only the pipeline catalog differing.
 */
export async function composeWorker(config: WorkerConfig, catalog: PipelineCatalog): Promise<ComposedWorker> {
  const tracing = startTracing(config.tracing);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  const deps = await createWorkerDeps(config, catalog);
  const worker = await createConveyorWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.taskQueue,
    activityDeps: deps.activityDeps,
    workflowBundlePath: config.workflowBundlePath,
    webUiBaseUrl: config.webUiBaseUrl,
    tracing,
  });
  return {
    worker,
    async close() {
      await deps.close();
      await connection.close();
      await tracing.shutdown();
    },
  };
}
