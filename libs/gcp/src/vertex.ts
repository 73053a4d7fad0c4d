// The package's index loads every client of v1 and v1beta1 and its 16 MB static protobuf module: about
// 65 MB of a worker's memory for one service (bench/src/worker-rss.ts). The PipelineService client and
// the Value helper load alone; enum names come from the JSON descriptor that client loads anyway, and
// the client is handed a google-gax that loads only PipelineService's part of it (proto-subset.ts).
import { createRequire } from 'node:module';
import type * as Gax from 'google-gax';
import type { protos } from '@google-cloud/aiplatform';
import { toValue } from '@google-cloud/aiplatform/build/src/helpers.js';
import { PipelineServiceClient } from '@google-cloud/aiplatform/build/src/v1/pipeline_service_client.js';
import { callGrpc } from './errors.ts';
import { gapicClientOptions, type GrpcEndpoint } from './endpoints.ts';
import { gaxForService } from './proto-subset.ts';

interface EnumDescriptor {
  readonly values: Record<string, number>;
}
const require = createRequire(import.meta.url);
const descriptor = require('@google-cloud/aiplatform/build/protos/protos.json') as {
  nested: {
    google: {
      nested: { cloud: { nested: { aiplatform: { nested: { v1: { nested: Record<string, unknown> } } } } } };
    };
  };
};
const v1 = descriptor.nested.google.nested.cloud.nested.aiplatform.nested.v1.nested;
/** Number → name of a descriptor enum, as the static module's enums read. */
function enumNames(e: unknown): Record<number, string> {
  return Object.fromEntries(Object.entries((e as EnumDescriptor).values).map(([name, n]) => [n, name]));
}
const pipelineStates = enumNames(v1['PipelineState']);
const taskStates = enumNames(
  (v1['PipelineTaskDetail'] as { nested: Record<string, unknown> }).nested['State'],
);
/** The same object the client loads (one module cache entry), so gaxForService recognises it. */
const pipelineGax = gaxForService(
  require('google-gax') as typeof Gax,
  descriptor,
  'google.cloud.aiplatform.v1.PipelineService',
);
type IPipelineJob = protos.google.cloud.aiplatform.v1.IPipelineJob;
type IValue = protos.google.protobuf.IValue;

/** States after which a pipeline job never changes again. */
export const terminalPipelineStates: ReadonlySet<string> = new Set([
  'PIPELINE_STATE_SUCCEEDED',
  'PIPELINE_STATE_FAILED',
  'PIPELINE_STATE_CANCELLED',
]);

/** An output artifact of a task. */
export interface ArtifactInfo {
  readonly uri: string;
  readonly schemaTitle: string;
  readonly metadata: Record<string, unknown>;
}

/** One task of a pipeline job. */
export interface TaskInfo {
  readonly name: string;
  /** Vertex's id of the task (the execution id in its output folder); absent in hand-made fixtures. */
  readonly taskId?: string | undefined;
  /** `PipelineTaskDetail.State` name, e.g. `SUCCEEDED`. */
  readonly state: string;
  readonly error?: string | undefined;
  /** Output artifacts by output name. */
  readonly outputs: Record<string, readonly ArtifactInfo[]>;
  /** Execution metadata (Vertex records output parameters as `output:<name>`). */
  readonly executionMetadata: Record<string, unknown>;
  readonly startTime?: number | undefined;
  readonly endTime?: number | undefined;
  /** True for the pipeline's root DAG task (no parent), which Vertex lists among the tasks. */
  readonly root: boolean;
}

/** A pipeline job, normalised (enum values as names). */
export interface PipelineJobInfo {
  /** `projects/…/locations/…/pipelineJobs/<id>`. */
  readonly name: string;
  /** `PipelineState` name, e.g. `PIPELINE_STATE_RUNNING`. */
  readonly state: string;
  /** The job's display name (Conveyor's: `<pipeline> <workflow id>`). */
  readonly displayName?: string | undefined;
  /** The job's labels (Conveyor's carry `conveyor_pipeline`, `conveyor_run`, `conveyor_trigger`). */
  readonly labels?: Readonly<Record<string, string>> | undefined;
  /** `runtimeConfig.gcsOutputDirectory`: the root of the job's artifacts. */
  readonly gcsOutputDirectory?: string | undefined;
  readonly createTime?: number | undefined;
  readonly error?: string | undefined;
  readonly tasks: readonly TaskInfo[];
  readonly startTime?: number | undefined;
  readonly endTime?: number | undefined;
}

function enumName(value: unknown, names: Record<number, string>): string {
  if (typeof value === 'number') return names[value] ?? String(value);
  return typeof value === 'string' ? value : 'UNSPECIFIED';
}

function millis(ts: protos.google.protobuf.ITimestamp | null | undefined): number | undefined {
  if (!ts?.seconds) return undefined;
  return Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

/** protobuf `Value` (as decoded by the client) → plain JSON. */
function valueToJson(value: IValue | null | undefined): unknown {
  if (!value) return null;
  if (value.numberValue !== undefined && value.numberValue !== null) return value.numberValue;
  if (value.stringValue !== undefined && value.stringValue !== null) return value.stringValue;
  if (value.boolValue !== undefined && value.boolValue !== null) return value.boolValue;
  if (value.structValue) return structToObject(value.structValue);
  if (value.listValue) return (value.listValue.values ?? []).map(valueToJson);
  return null;
}

function structToObject(struct: protos.google.protobuf.IStruct | null | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(struct?.fields ?? {}).map(([k, v]) => [k, valueToJson(v)]));
}

/** Normalises a proto `PipelineJob`. */
export function toPipelineJobInfo(job: IPipelineJob): PipelineJobInfo {
  const tasks = (job.jobDetail?.taskDetails ?? []).map((task): TaskInfo => ({
    name: task.taskName ?? '',
    taskId: task.taskId === undefined || task.taskId === null ? undefined : String(task.taskId),
    state: enumName(task.state, taskStates),
    error: task.error?.message ?? undefined,
    outputs: Object.fromEntries(
      Object.entries(task.outputs ?? {}).map(([key, list]) => [
        key,
        (list.artifacts ?? []).map((a) => ({
          uri: a.uri ?? '',
          schemaTitle: a.schemaTitle ?? '',
          metadata: structToObject(a.metadata),
        })),
      ]),
    ),
    executionMetadata: structToObject(task.execution?.metadata),
    startTime: millis(task.startTime),
    endTime: millis(task.endTime),
    root: !task.parentTaskId || String(task.parentTaskId) === '0',
  }));
  return {
    name: job.name ?? '',
    state: enumName(job.state, pipelineStates),
    error: job.error?.message ?? undefined,
    displayName: job.displayName ?? undefined,
    labels: { ...(job.labels ?? {}) },
    gcsOutputDirectory: job.runtimeConfig?.gcsOutputDirectory ?? undefined,
    createTime: millis(job.createTime),
    // The root DAG task carries the pipeline's own name; report only the user's tasks.
    tasks: tasks.some((task) => !task.root) ? tasks.filter((task) => !task.root) : tasks,
    startTime: millis(job.startTime),
    endTime: millis(job.endTime),
  };
}

/** Where Vertex AI lives, for which project and region. */
export interface VertexOptions {
  readonly projectId: string;
  readonly region: string;
  readonly endpoint: GrpcEndpoint;
}

/** What {@link VertexPipelines.createPipelineJob} submits. */
export interface CreatePipelineJobInput {
  /** `[a-z0-9-]`, ≤ 128, starts with a letter. */
  readonly pipelineJobId: string;
  readonly displayName: string;
  /** The compiled PipelineSpec JSON object; sent as a protobuf Struct (a plain object would arrive empty). */
  readonly pipelineSpec: Record<string, unknown>;
  /**
   * runtimeConfig as produced by the pipeline lib: 2.1.0 `parameterValues` (plain values) or
   * 2.0.0 `parameters` (`{intValue|doubleValue|stringValue}`), plus `gcsOutputDirectory`.
   */
  readonly runtimeConfig: {
    readonly gcsOutputDirectory: string;
    readonly parameterValues?: Record<string, unknown>;
    readonly parameters?: Record<string, unknown>;
  };
  readonly labels?: Record<string, string>;
  readonly serviceAccount?: string | undefined;
}

/** A plain JSON value as a protobuf `Value` (`{numberValue}`, `{stringValue}`, …). */
export function toProtoValue(value: unknown): IValue {
  if (
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    ['numberValue', 'stringValue', 'boolValue', 'structValue', 'listValue', 'nullValue'].some(
      (k) => k in value,
    )
  ) {
    return value as IValue; // already a Value
  }
  return toValue(value as object) as IValue;
}

/** The Vertex AI PipelineService calls Conveyor makes, typed, with errors translated. */
export class VertexPipelines {
  readonly #client: PipelineServiceClient;
  /** `projects/<p>/locations/<r>`. */
  readonly parent: string;

  constructor(options: VertexOptions) {
    this.#client = new PipelineServiceClient(
      gapicClientOptions(options.endpoint, options.projectId, `${options.region}-aiplatform.googleapis.com`),
      pipelineGax,
    );
    this.parent = `projects/${options.projectId}/locations/${options.region}`;
  }

  /** Full resource name of a job id in this project/region. */
  jobName(pipelineJobId: string): string {
    return `${this.parent}/pipelineJobs/${pipelineJobId}`;
  }

  /** Creates a job (not long-running). ALREADY_EXISTS surfaces as a GcpError of kind `already-exists`. */
  async createPipelineJob(input: CreatePipelineJobInput): Promise<PipelineJobInfo> {
    const { parameterValues, parameters, gcsOutputDirectory } = input.runtimeConfig;
    const runtimeConfig: protos.google.cloud.aiplatform.v1.PipelineJob.IRuntimeConfig = {
      gcsOutputDirectory,
    };
    if (parameterValues) {
      runtimeConfig.parameterValues = Object.fromEntries(
        Object.entries(parameterValues).map(([k, v]) => [k, toProtoValue(v)]),
      );
    }
    if (parameters) runtimeConfig.parameters = parameters as never;
    return callGrpc('PipelineService.createPipelineJob', async () => {
      const [job] = await this.#client.createPipelineJob({
        parent: this.parent,
        pipelineJobId: input.pipelineJobId,
        pipelineJob: {
          displayName: input.displayName,
          // A plain object would arrive empty: the field is a google.protobuf.Struct.
          pipelineSpec: (toValue(input.pipelineSpec) as IValue).structValue ?? null,
          runtimeConfig,
          labels: input.labels ?? {},
          serviceAccount: input.serviceAccount ?? '',
        },
      });
      return toPipelineJobInfo(job);
    });
  }

  async getPipelineJob(name: string): Promise<PipelineJobInfo> {
    return callGrpc('PipelineService.getPipelineJob', async () => {
      const [job] = await this.#client.getPipelineJob({ name });
      return toPipelineJobInfo(job);
    });
  }

  /** Jobs in this project/region matching a Vertex list filter (e.g. `labels.conveyor_run="x"`). */
  async listPipelineJobs(filter = ''): Promise<PipelineJobInfo[]> {
    return callGrpc('PipelineService.listPipelineJobs', async () => {
      const [jobs] = await this.#client.listPipelineJobs({ parent: this.parent, filter });
      return jobs.map(toPipelineJobInfo);
    });
  }

  /** Requests cancellation; the job moves to CANCELLING then CANCELLED. */
  async cancelPipelineJob(name: string): Promise<void> {
    await callGrpc('PipelineService.cancelPipelineJob', async () => {
      await this.#client.cancelPipelineJob({ name });
    });
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}
