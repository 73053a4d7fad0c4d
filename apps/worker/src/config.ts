import { z } from 'zod';
import {
  commaSeparated,
  defaultPipelineRoot,
  otelEnvShape,
  pipelineSettingsEnv,
  parseEnv,
  temporalConfigFromEnv,
  tracingConfigFromEnv,
  webUiBaseUrl,
  withTemporalEnv,
  type PipelineSettings,
  type TemporalConfig,
} from '@conveyor/platform';
import type { TracingConfig } from '@conveyor/platform/tracing';
import { TaskQueues } from '@conveyor/contracts';
import { uriProblem } from '@conveyor/pipeline/spec';

/** Comma-separated Cloud Storage bucket names (not URIs). */
const bucketList = commaSeparated(
  z.string().refine((b) => uriProblem(`gs://${b}/`) === undefined, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a bucket name (lowercase, no gs://)`,
  }),
);

/** The worker's environment, every variable named. */
export const workerEnvSchema = withTemporalEnv({
  GOOGLE_CLOUD_PROJECT: z.string().min(1),
  CONVEYOR_REGION: z.string().default('us-central1'),
  /** Defaults to `gs://<project>-conveyor/pipeline-root`. */
  CONVEYOR_PIPELINE_ROOT: z
    .string()
    .regex(/^gs:\/\/[^/]+/, 'must be a gs://bucket[/prefix] URI')
    .optional(),
  CONVEYOR_SERVICE_ACCOUNT: z.string().optional(),
  /** fake-gcs-server URL, e.g. `http://127.0.0.1:4443`; Google Cloud Storage when unset. */
  CONVEYOR_STORAGE_ENDPOINT: z.url().optional(),
  /** Emulator `host:port`; Google Cloud when unset. */
  CONVEYOR_CLOUDBUILD_ENDPOINT: z
    .string()
    .regex(/^[^:/]+:\d+$/, 'must be host:port')
    .optional(),
  CONVEYOR_AIPLATFORM_ENDPOINT: z
    .string()
    .regex(/^[^:/]+:\d+$/, 'must be host:port')
    .optional(),
  /** Defaults to `<region>-docker.pkg.dev/<project>/conveyor`. */
  CONVEYOR_IMAGE_REPOSITORY: z.string().optional(),
  /**
   * Base URL of a local registry standing in for every image registry (the emulator's admin
   * endpoint, e.g. `http://127.0.0.1:8091`); the registry named in each image URI when unset.
   */
  CONVEYOR_REGISTRY_ENDPOINT: z.url().optional(),
  /** Poll interval for running builds and jobs. Google: 10 s is plenty; locally 1 s keeps demos snappy. */
  CONVEYOR_POLL_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
  CONVEYOR_TASK_QUEUE: z.string().default(TaskQueues.training),
  /** Path of a prebuilt workflow bundle (`npm run bundle -w @conveyor/worker`); workflowsPath otherwise. */
  CONVEYOR_WORKFLOW_BUNDLE: z.string().optional(),
  /**
   * Workflows kept in the worker's cache. A waiting run needs no workflow task until its build or job
   * ends (the waits are retry-based), so an evicted run costs one replay of a short history then,
   * while a cached one holds about 2 MB of the workflow thread's heap all along: each workflow
   * evaluates the bundle's modules (zod, the contracts' schemas, OpenTelemetry) for itself
   * (bench/src/wait-cost.ts, 200 waiting runs: peak RSS 474 MB with 100 cached, 397 MB with 50,
   * 331 MB with 20). 50 keeps 1,000 waiting runs well under 512 MB and stays above the SDK's 40
   * concurrent workflow tasks, which may not exceed it.
   */
  CONVEYOR_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(50),
  /**
   * Temporal Web UI base URL, for the run report's link. Unset: Temporal Cloud's UI for a
   * `*.tmprl.cloud` address, the dev server's (gRPC port + 1000) for a loopback one, else no link.
   */
  TEMPORAL_UI_URL: z.url().optional(),
  /**
   * `host:port` of the Prometheus endpoint (`GET /metrics`): the Temporal SDK's worker metrics and
   * Conveyor's own. Off when unset; `0.0.0.0:9464` in a container, a loopback address on a laptop.
   */
  CONVEYOR_METRICS_ADDRESS: z
    .string()
    .regex(/^[^/\s]+:\d+$/, 'must be host:port, e.g. 127.0.0.1:9464')
    .optional(),
  ...otelEnvShape,
  /**
   * Buckets whose URIs runs may use besides the pipeline root's (specs, data, serving roots); every
   * URI a run uses must be in one of them.
   */
  CONVEYOR_ALLOWED_BUCKETS: bucketList.optional(),
  /**
   * Operator settings per pipeline, JSON `{"penguins": {"serving_root": "gs://…", "threshold": 0.95}}`:
   * they replace the declared defaults; runs may not set the ones the pipeline declares operator-only.
   */
  CONVEYOR_PIPELINE_SETTINGS: pipelineSettingsEnv.optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
});

/** The worker's typed configuration. */
export interface WorkerConfig {
  readonly temporal: TemporalConfig;
  readonly taskQueue: string;
  readonly projectId: string;
  readonly region: string;
  readonly pipelineRoot: string;
  readonly serviceAccount?: string | undefined;
  readonly storageEndpoint?: string | undefined;
  readonly cloudBuildEndpoint?: string | undefined;
  readonly aiplatformEndpoint?: string | undefined;
  readonly imageRepository: string;
  /** Local registry stand-in; each image's own registry when undefined. */
  readonly registryEndpoint?: string | undefined;
  readonly pollIntervalMs: number;
  readonly workflowBundlePath?: string | undefined;
  /** Temporal's `maxCachedWorkflows` (CONVEYOR_MAX_CACHED_WORKFLOWS). */
  readonly maxCachedWorkflows: number;
  /** Buckets runs may use besides the pipeline root's. */
  readonly allowedBuckets: readonly string[];
  /** Operator settings: pipeline → parameter → value. */
  readonly pipelineSettings: PipelineSettings;
  /** Temporal Web UI base URL the run report links to; no link when undefined. */
  readonly webUiBaseUrl?: string | undefined;
  /** Prometheus endpoint `host:port`; none when undefined. */
  readonly metricsAddress?: string | undefined;
  /** Where spans go (OTLP endpoint); tracing is off without an endpoint. */
  readonly tracing: TracingConfig;
  readonly logLevel: string;
}

/**
 * Parses the environment once.
 * @throws ConfigError naming every bad variable.
 */
export function loadConfig(env: Record<string, string | undefined>): WorkerConfig {
  const e = parseEnv(workerEnvSchema, env);
  return {
    temporal: temporalConfigFromEnv(e),
    taskQueue: e.CONVEYOR_TASK_QUEUE,
    projectId: e.GOOGLE_CLOUD_PROJECT,
    region: e.CONVEYOR_REGION,
    pipelineRoot: e.CONVEYOR_PIPELINE_ROOT ?? defaultPipelineRoot(e.GOOGLE_CLOUD_PROJECT),
    serviceAccount: e.CONVEYOR_SERVICE_ACCOUNT,
    storageEndpoint: e.CONVEYOR_STORAGE_ENDPOINT,
    cloudBuildEndpoint: e.CONVEYOR_CLOUDBUILD_ENDPOINT,
    aiplatformEndpoint: e.CONVEYOR_AIPLATFORM_ENDPOINT,
    imageRepository:
      e.CONVEYOR_IMAGE_REPOSITORY ?? `${e.CONVEYOR_REGION}-docker.pkg.dev/${e.GOOGLE_CLOUD_PROJECT}/conveyor`,
    registryEndpoint: e.CONVEYOR_REGISTRY_ENDPOINT,
    pollIntervalMs: e.CONVEYOR_POLL_INTERVAL_MS,
    workflowBundlePath: e.CONVEYOR_WORKFLOW_BUNDLE,
    maxCachedWorkflows: e.CONVEYOR_MAX_CACHED_WORKFLOWS,
    allowedBuckets: e.CONVEYOR_ALLOWED_BUCKETS ?? [],
    pipelineSettings: e.CONVEYOR_PIPELINE_SETTINGS ?? {},
    webUiBaseUrl: webUiBaseUrl(e.TEMPORAL_UI_URL, e.TEMPORAL_ADDRESS),
    metricsAddress: e.CONVEYOR_METRICS_ADDRESS,
    tracing: tracingConfigFromEnv(e, 'conveyor-worker'),
    logLevel: e.LOG_LEVEL,
  };
}
