/** The emulator's record of a pipeline job: plain JSON, so it persists as it is. */
import type { Json, JsonObject } from './struct.ts';

/** google.cloud.aiplatform.v1.PipelineState names. */
export type PipelineState =
  | 'PIPELINE_STATE_QUEUED'
  | 'PIPELINE_STATE_PENDING'
  | 'PIPELINE_STATE_RUNNING'
  | 'PIPELINE_STATE_SUCCEEDED'
  | 'PIPELINE_STATE_FAILED'
  | 'PIPELINE_STATE_CANCELLING'
  | 'PIPELINE_STATE_CANCELLED';

/**
 * PipelineTaskDetail.State names. SKIPPED is a cache hit; NOT_TRIGGERED a task whose
 * `triggerPolicy.condition` was false (the proto documents both so).
 */
export type TaskState =
  'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'CANCELLING' | 'CANCELLED' | 'FAILED' | 'SKIPPED' | 'NOT_TRIGGERED';

/** States after which a task changes no more. */
export const TASK_DONE: ReadonlySet<TaskState> = new Set([
  'SUCCEEDED',
  'CANCELLED',
  'FAILED',
  'SKIPPED',
  'NOT_TRIGGERED',
]);

/** What a task record stands for (its execution's schemaTitle follows from it). */
export type TaskKind = 'dag' | 'container' | 'importer';

/** States after which nothing changes any more. */
export const TERMINAL_STATES: ReadonlySet<PipelineState> = new Set([
  'PIPELINE_STATE_SUCCEEDED',
  'PIPELINE_STATE_FAILED',
  'PIPELINE_STATE_CANCELLED',
]);

/** google.rpc.Status, JSON shape. */
export interface RpcStatus {
  code: number;
  message: string;
}

/** An artifact produced or consumed by a task (aiplatform.v1.Artifact subset). */
export interface ArtifactRecord {
  /** Resource name `projects/…/metadataStores/default/artifacts/<id>`. */
  name: string;
  /** The output (or input) key it belongs to. */
  displayName: string;
  uri: string;
  schemaTitle: string;
  schemaVersion: string;
  metadata: JsonObject;
}

/** One entry of `jobDetail.taskDetails`. */
export interface TaskRecord {
  taskId: string;
  parentTaskId?: string;
  taskName: string;
  /** Key in its DAG's `tasks`; absent for the root (DAG) task and loop iterations. */
  taskKey?: string;
  /** Names of the enclosing tasks and this one, joined by dots (the root excluded). */
  taskUniqueName?: string;
  /** Absent in records saved by older emulators: `dag` for the root, `container` otherwise. */
  kind?: TaskKind;
  state: TaskState;
  createTime: string;
  startTime?: string;
  endTime?: string;
  error?: RpcStatus;
  inputs: Record<string, ArtifactRecord[]>;
  outputs: Record<string, ArtifactRecord[]>;
  inputParameters: Record<string, Json>;
  outputParameters: Record<string, Json>;
  /** Attempts started (1 + retries). */
  attempts: number;
  /** Extra execution metadata (`iteration_count` of a loop, `iteration_index` of an iteration, `cached_execution`). */
  executionMetadata?: Record<string, Json>;
  /** Local log file and its copy in GCS. */
  logPath?: string;
  logUri?: string;
}

/** A pipeline job as the emulator keeps it. */
export interface JobRecord {
  /** `projects/{p}/locations/{l}/pipelineJobs/{id}` */
  name: string;
  jobId: string;
  project: string;
  location: string;
  displayName: string;
  labels: Record<string, string>;
  state: PipelineState;
  createTime: string;
  startTime?: string;
  endTime?: string;
  updateTime: string;
  pipelineSpec: JsonObject;
  /** The submitted runtimeConfig, echoed back as it came (proto-loader object shape). */
  runtimeConfig: JsonObject;
  /** Validated parameter values, defaults applied. */
  parameterValues: Record<string, Json>;
  /** `runtimeConfig.inputArtifacts`, resolved to the artifacts they name. */
  inputArtifacts?: Record<string, ArtifactRecord[]>;
  /** `gs://…` root under which task outputs go. */
  pipelineRoot: string;
  failurePolicy: 'FAIL_SLOW' | 'FAIL_FAST';
  serviceAccount: string;
  error?: RpcStatus;
  tasks: TaskRecord[];
}
