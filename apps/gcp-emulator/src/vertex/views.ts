/** Turns JobRecords into PipelineJob messages in the proto-loader object shape the server serialises. */
import type { ArtifactRecord, JobRecord, TaskKind, TaskRecord } from './job-model.ts';
import { jsonToStruct, jsonToValue, type Json } from './struct.ts';

/** google.protobuf.Timestamp object. */
export interface TimestampView {
  seconds: string;
  nanos: number;
}

/** ISO time → Timestamp; undefined stays undefined (unset field). */
export function timestamp(iso: string | undefined): TimestampView | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

/** The PipelineJob message for a record. */
export function jobView(job: JobRecord): Record<string, unknown> {
  return {
    name: job.name,
    displayName: job.displayName,
    createTime: timestamp(job.createTime),
    startTime: timestamp(job.startTime),
    endTime: timestamp(job.endTime),
    updateTime: timestamp(job.updateTime),
    pipelineSpec: jsonToStruct(job.pipelineSpec),
    state: job.state,
    jobDetail: {
      pipelineRunContext: {
        name: `projects/${job.project}/locations/${job.location}/metadataStores/default/contexts/${job.jobId}`,
        displayName: job.jobId,
        schemaTitle: 'system.PipelineRun',
      },
      taskDetails: job.tasks.map((t) => taskView(t)),
    },
    error: job.error ? { code: job.error.code, message: job.error.message, details: [] } : undefined,
    labels: job.labels,
    runtimeConfig: job.runtimeConfig,
    serviceAccount: job.serviceAccount,
  };
}

function taskView(task: TaskRecord): Record<string, unknown> {
  const metadata: Record<string, Json> = {};
  for (const [k, v] of Object.entries(task.inputParameters)) metadata[`input:${k}`] = v;
  for (const [k, v] of Object.entries(task.outputParameters)) metadata[`output:${k}`] = v;
  Object.assign(metadata, task.executionMetadata ?? {});
  const kind = task.kind ?? (task.taskKey ? 'container' : 'dag');
  return {
    taskId: task.taskId,
    parentTaskId: task.parentTaskId ?? '0',
    taskName: task.taskName,
    taskUniqueName: task.taskUniqueName ?? task.taskKey ?? task.taskName,
    createTime: timestamp(task.createTime),
    startTime: timestamp(task.startTime),
    endTime: timestamp(task.endTime),
    state: task.state,
    error: task.error ? { code: task.error.code, message: task.error.message, details: [] } : undefined,
    execution: {
      displayName: task.taskName,
      state: executionState(task),
      schemaTitle: SCHEMA_TITLES[kind],
      metadata: { fields: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, jsonToValue(v)])) },
    },
    inputs: artifactLists(task.inputs),
    outputs: artifactLists(task.outputs),
  };
}

const SCHEMA_TITLES: Record<TaskKind, string> = {
  dag: 'system.DagExecution',
  container: 'system.ContainerExecution',
  importer: 'system.ImporterExecution',
};

/** The execution's state (aiplatform.v1.Execution.State); MLMD records a task that was not triggered as CANCELLED. */
function executionState(task: TaskRecord): string {
  switch (task.state) {
    case 'SUCCEEDED':
      return 'COMPLETE';
    case 'SKIPPED':
      return 'CACHED';
    case 'NOT_TRIGGERED':
      return 'CANCELLED';
    case 'FAILED':
      return 'FAILED';
    case 'CANCELLED':
    case 'CANCELLING':
      return 'CANCELLED';
    case 'RUNNING':
      return 'RUNNING';
    default:
      return 'NEW';
  }
}

function artifactLists(lists: Record<string, ArtifactRecord[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, artifacts] of Object.entries(lists)) out[key] = { artifacts: artifacts.map(artifactView) };
  return out;
}

/** aiplatform.v1.Artifact in the proto-loader object shape. */
export function artifactView(a: ArtifactRecord): Record<string, unknown> {
  return {
    name: a.name,
    displayName: a.displayName,
    uri: a.uri,
    schemaTitle: a.schemaTitle,
    schemaVersion: a.schemaVersion,
    metadata: jsonToStruct(a.metadata),
    state: 'LIVE',
  };
}
