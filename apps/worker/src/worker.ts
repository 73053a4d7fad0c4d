import { createRequire } from 'node:module';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '@conveyor/activities';
import { workflowUiUrl } from '@conveyor/platform';

const require = createRequire(import.meta.url);

/** What {@link createConveyorWorker} needs. */
export interface ConveyorWorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly activityDeps: ActivityDeps;
  /** Temporal Web UI base URL: run reports link to their run there. No link when absent. */
  readonly webUiBaseUrl?: string | undefined;
  /** Prebuilt bundle (production); the workflows source is bundled at start when absent (development). */
  readonly workflowBundlePath?: string | undefined;
  /** Worker identity, shown in the Web UI. */
  readonly identity?: string;
}

/** The resolved path of the workflows entry, for `workflowsPath` and the bundler. */
export function workflowsPath(): string {
  return require.resolve('@conveyor/workflows');
}

/**
 * A worker for `trainingRun` and its activities. `shutdownGraceTime` lets running activities (all
 * short: the waits are retry-based) finish before the worker stops; stopping never cancels builds
 * or pipeline jobs.
 */
export async function createConveyorWorker(options: ConveyorWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities(options.activityDeps, {
      report: {
        webUiUrl: options.webUiBaseUrl
          ? (runId) => workflowUiUrl(options.webUiBaseUrl ?? '', options.namespace, runId)
          : undefined,
      },
    }),
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath: workflowsPath() }),
    // The longest activity (startBuild: git fetch + CreateBuild) takes seconds; 30 s is ample.
    shutdownGraceTime: '30 seconds',
    ...(options.identity ? { identity: options.identity } : {}),
  });
}
