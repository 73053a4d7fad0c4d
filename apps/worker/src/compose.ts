import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { PipelineCatalog } from '@conveyor/activities';
import { temporalConnectionOptions } from '@conveyor/platform';
import type { WorkerConfig } from './config.ts';
import { createWorkerDeps } from './deps.ts';
import { createConveyorWorker } from './worker.ts';

/** A worker wired to its connection and clients, and how to release them after it stopped. */
export interface ComposedWorker {
  readonly worker: Worker;
  /** Closes the Google clients and the Temporal connection; call after `worker.run()` returned. */
  close(): Promise<void>;
}

/**
 * The worker's composition from parsed config: Temporal connection, clients and activities over
 * `catalog`, workflows. Shared by `main.ts` and the crash tests' worker process, so both run the same
 * wiring with only the pipeline catalog differing.
 */
export async function composeWorker(config: WorkerConfig, catalog: PipelineCatalog): Promise<ComposedWorker> {
  const options = temporalConnectionOptions(config.temporal);
  const connection = await NativeConnection.connect(options);
  // The image activities start and signal `imageBuild` workflows: a client of the same namespace.
  const clientConnection = await Connection.connect(options);
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
  const deps = await createWorkerDeps(config, catalog, client);
  const worker = await createConveyorWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.taskQueue,
    activityDeps: deps.activityDeps,
    workflowBundlePath: config.workflowBundlePath,
    webUiBaseUrl: config.webUiBaseUrl,
  });
  return {
    worker,
    async close() {
      await deps.close();
      await clientConnection.close();
      await connection.close();
    },
  };
}
