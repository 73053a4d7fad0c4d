import { createRequire } from 'node:module';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { bundleWorkflowCode, type BundleOptions, type NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '@conveyor/activities';
import { workflowUiUrl } from '@conveyor/platform';
import { startTracing, type Tracing } from '@conveyor/platform/tracing';

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
  /** Workflows kept in the cache; the SDK's default (from the heap limit) when absent. */
  readonly maxCachedWorkflows?: number | undefined;
  /** Activity slots; the SDK's default (100) when absent. A waiting run holds none between its polls. */
  readonly maxConcurrentActivityTaskExecutions?: number | undefined;
  /** Worker identity, shown in the Web UI. */
  readonly identity?: string;
  /** Where workflow and activity spans go; spans are dropped when absent or disabled. */
  readonly tracing?: Pick<Tracing, 'resource' | 'spanProcessor'>;
}

/** The resolved path of the workflows entry, for `workflowsPath` and the bundler. */
export function workflowsPath(): string {
  return require.resolve('@conveyor/workflows');
}

/**
 * Workflow interceptor modules in every bundle: OpenTelemetry spans for the workflow and the
 * activities it schedules, continuing the trace of whoever started it. Always present, traced or
 * not, so a prebuilt bundle serves both and replay behaves the same either way.
 */
export function workflowInterceptorModules(): string[] {
  return [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')];
}

/**
 * Webpack settings of every bundle the worker runs. The inline source map keeps its mappings, so
 * workflow stack traces (the Web UI's stack trace, the errors in history) still name
 * `libs/workflows/src/*.ts` lines, but not the sources themselves (`inline-nosources-source-map`):
 * the SDK reads them only with `showStackTraceSources`, which Conveyor leaves off, and the worker
 * would hold them twice, in its main thread and its workflow thread (2 MB of the 3.4 MB map; about
 * 20 MB of resident memory, bench/README.md).
 */
const webpackConfigHook: NonNullable<BundleOptions['webpackConfigHook']> = (config) => ({
  ...config,
  devtool: 'inline-nosources-source-map',
});

/** Bundles the workflows with their interceptors, as the worker runs them (prebuilt bundles, tests). */
export async function bundleWorkflows(): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: workflowsPath(),
    workflowInterceptorModules: workflowInterceptorModules(),
    webpackConfigHook,
  });
  return code;
}

/**
 * A worker for `trainingRun` and its activities. `shutdownGraceTime` lets running activities (all
 * short: the waits are retry-based) finish before the worker stops; stopping never cancels builds
 * or pipeline jobs.
 */
export async function createConveyorWorker(options: ConveyorWorkerOptions): Promise<Worker> {
  const tracing = options.tracing ?? startTracing({ serviceName: 'conveyor-worker' });
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
      : { workflowsPath: workflowsPath(), bundlerOptions: { webpackConfigHook } }),
    interceptors: {
      // Activity spans continue the workflow's trace; their log lines carry trace_id/span_id.
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
      // A prebuilt bundle carries them already (bundleWorkflows).
      ...(options.workflowBundlePath ? {} : { workflowModules: workflowInterceptorModules() }),
    },
    // Workflow code cannot export spans itself: its interceptors hand them to this sink.
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
    // The longest activity (startBuild: git fetch + CreateBuild) takes seconds; 30 s is ample.
    shutdownGraceTime: '30 seconds',
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
    ...(options.maxConcurrentActivityTaskExecutions === undefined
      ? {}
      : { maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions }),
    ...(options.identity ? { identity: options.identity } : {}),
  });
}
