import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { ActivityDeps, PipelineCatalog } from '@conveyor/activities';
import { temporalConnectionOptions, type PinoLogger } from '@conveyor/platform';
import { installTemporalRuntime } from '@conveyor/platform/runtime';
import { startTracing, tracingClientInterceptors } from '@conveyor/platform/tracing';
import { bundleInChildProcess, type TemporaryBundle } from './bundle-child.ts';
import type { WorkerConfig } from './config.ts';
import { createWorkerDeps } from './deps.ts';
import { createConveyorWorker } from './worker.ts';

/** A worker wired to its connection and clients, and how to release them after it stopped. */
export interface ComposedWorker {
  readonly worker: Worker;
  /** Closes the Google clients and the Temporal connection and flushes spans; call after `worker.run()` returned. */
  close(): Promise<void>;
}

/** What a benchmark may change in the composition; the worker itself passes nothing. */
export interface ComposeOptions {
  /**
   * Replaces the activities' outside world after the real clients were built (they stay resident,
   * so their memory is counted): bench/src/wait-worker.ts waits on a fake Vertex this way.
   */
  readonly adaptActivityDeps?: (real: ActivityDeps) => ActivityDeps;
  /** Activity slots; the SDK's default (100) when absent. */
  readonly maxConcurrentActivityTaskExecutions?: number;
}

/**
 * Installs the Temporal Runtime for this worker process: the app's logger, the Prometheus endpoint
 * when `CONVEYOR_METRICS_ADDRESS` is set, and (when traced) Cloud Logging trace links on log lines.
 * Once per process, before {@link composeWorker}.
 */
export function installWorkerRuntime(config: WorkerConfig, logger: PinoLogger): void {
  installTemporalRuntime(logger, {
    metricsAddress: config.metricsAddress,
    traceProject: config.tracing.otlpEndpoint ? config.projectId : undefined,
  });
}

/**
 * The worker's composition from parsed config: tracing, Temporal connection, clients and activities
 * over `catalog`, workflows. Shared by `main.ts` and the crash tests' worker process, so both run the same
 * wiring with only the pipeline catalog differing.
 */
export async function composeWorker(
  config: WorkerConfig,
  catalog: PipelineCatalog,
  seams: ComposeOptions = {},
): Promise<ComposedWorker> {
  const tracing = startTracing(config.tracing);
  const options = temporalConnectionOptions(config.temporal);
  const connection = await NativeConnection.connect(options);
  // The image activities start and signal `imageBuild` workflows: a client of the same namespace.
  const clientConnection = await Connection.connect(options);
  const client = new Client({
    connection: clientConnection,
    namespace: config.temporal.namespace,
    interceptors: tracingClientInterceptors(),
  });
  const deps = await createWorkerDeps(config, catalog, client);
  // No prebuilt bundle (development, the local stack): bundle in a child, never in this process.
  const built: TemporaryBundle | undefined = config.workflowBundlePath
    ? undefined
    : await bundleInChildProcess();
  let worker: Worker;
  try {
    worker = await createConveyorWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.taskQueue,
      activityDeps: seams.adaptActivityDeps?.(deps.activityDeps) ?? deps.activityDeps,
      workflowBundlePath: config.workflowBundlePath ?? built?.path,
      webUiBaseUrl: config.webUiBaseUrl,
      maxCachedWorkflows: config.maxCachedWorkflows,
      maxConcurrentActivityTaskExecutions: seams.maxConcurrentActivityTaskExecutions,
      tracing,
    });
  } finally {
    // Worker.create has read the file: it is not needed after this.
    await built?.remove();
  }
  return {
    worker,
    async close() {
      await deps.close();
      await clientConnection.close();
      await connection.close();
      await tracing.shutdown();
    },
  };
}
