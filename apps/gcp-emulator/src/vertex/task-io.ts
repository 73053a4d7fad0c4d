/**
 * A container task's outputs (URIs under the pipeline root, local output files) around its resolved
 * inputs, and the executor input JSON the KFP v2 protocol hands over.
 */
import { join } from 'node:path';
import type { ArtifactRecord, JobRecord } from './job-model.ts';
import type { ComponentDef, ParameterType, PipelineSpec } from './spec-types.ts';
import type { Json, JsonObject } from './struct.ts';
import type { TaskInputs } from './task-inputs.ts';

/** A container task's resolved inputs and planned outputs. */
export interface TaskIo {
  parameters: Record<string, Json>;
  /** Declared types of the component's input parameters (2.0.0 executors get typed Values). */
  parameterTypes: Record<string, ParameterType>;
  /** Input artifacts: one per input, or several for a list input (dsl.Collected). */
  inputArtifacts: Record<string, ArtifactRecord[]>;
  outputArtifacts: Record<string, ArtifactRecord>;
  outputParameterFiles: Record<string, string>;
  outputFile: string;
  /** `gs://<root>/<projectNumber>/<jobId>/<taskName>_<executionId>`: where outputs and the log go. */
  outputDir: string;
}

/** The resource name of an artifact a task (execution) produces: `…/artifacts/<executionId><n>`. */
export function artifactName(job: JobRecord, executionId: string, n: number): string {
  return `projects/${job.project}/locations/${job.location}/metadataStores/default/artifacts/${executionId}${n}`;
}

/** Plans a task's outputs around its resolved inputs. `localDir` holds output parameter files and executor output. */
export function planTaskIo(args: {
  job: JobRecord;
  taskName: string;
  component: ComponentDef;
  inputs: TaskInputs;
  executionId: string;
  projectNumber: string;
  localDir: string;
}): TaskIo {
  const { job, component } = args;
  const root = job.pipelineRoot.replace(/\/+$/, '');
  const outputDir = `${root}/${args.projectNumber}/${job.jobId}/${args.taskName}_${args.executionId}`;
  const outputArtifacts: Record<string, ArtifactRecord> = {};
  let n = 0;
  for (const [name, def] of Object.entries(component.outputArtifacts)) {
    outputArtifacts[name] = {
      name: artifactName(job, args.executionId, n++),
      displayName: name,
      uri: `${outputDir}/${name}`,
      schemaTitle: def.schemaTitle,
      schemaVersion: def.schemaVersion,
      metadata: {},
    };
  }
  const outputParameterFiles: Record<string, string> = {};
  for (const name of Object.keys(component.outputParameters)) {
    outputParameterFiles[name] = join(args.localDir, 'outputs', 'parameters', name);
  }
  return {
    parameters: args.inputs.parameters,
    parameterTypes: Object.fromEntries(
      Object.entries(component.inputParameters).map(([k, d]) => [k, d.type]),
    ),
    inputArtifacts: args.inputs.artifacts,
    outputArtifacts,
    outputParameterFiles,
    outputFile: join(args.localDir, 'outputs', 'executor_output.json'),
    outputDir,
  };
}

/** The executor input JSON (`{{$}}`, `--executor_input`). */
export function executorInput(io: TaskIo, schemaVersion: PipelineSpec['schemaVersion']): JsonObject {
  const artifactList = (list: ArtifactRecord[]): JsonObject => ({
    artifacts: list.map((a) => ({
      name: a.name,
      type: { schemaTitle: a.schemaTitle, schemaVersion: a.schemaVersion },
      uri: a.uri,
      metadata: a.metadata,
    })),
  });
  const inputs: JsonObject = {
    parameterValues: io.parameters,
    artifacts: Object.fromEntries(
      Object.entries(io.inputArtifacts).map(([k, list]) => [k, artifactList(list)]),
    ),
  };
  if (schemaVersion === '2.0.0') inputs['parameters'] = legacyParameters(io.parameters, io.parameterTypes);
  return {
    inputs,
    outputs: {
      parameters: Object.fromEntries(
        Object.entries(io.outputParameterFiles).map(([k, f]) => [k, { outputFile: f }]),
      ),
      artifacts: Object.fromEntries(
        Object.entries(io.outputArtifacts).map(([k, a]) => [k, artifactList([a])]),
      ),
      outputFile: io.outputFile,
    },
  };
}

/** Schema 2.0.0 executors (TFX) read typed Values: `{intValue}` / `{doubleValue}` / `{stringValue}`. */
function legacyParameters(
  parameters: Record<string, Json>,
  types: Record<string, ParameterType>,
): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(parameters)) {
    const type =
      types[k] ??
      (Number.isInteger(v) ? 'NUMBER_INTEGER' : typeof v === 'number' ? 'NUMBER_DOUBLE' : 'STRING');
    if (type === 'NUMBER_INTEGER' && typeof v === 'number') out[k] = { intValue: String(v) };
    else if (type === 'NUMBER_DOUBLE' && typeof v === 'number') out[k] = { doubleValue: v };
    else out[k] = { stringValue: typeof v === 'string' ? v : JSON.stringify(v) };
  }
  return out;
}

/** Values of the runtime placeholders (`{{$.pipeline_job_name}}` → `pipeline_job_name`). */
export function runtimeValues(job: JobRecord, taskName: string, taskId: string): Record<string, string> {
  return {
    // Vertex resolves the job "name" placeholder to the job id, not the resource name.
    pipeline_job_name: job.jobId,
    pipeline_job_resource_name: job.name,
    pipeline_job_uuid: job.jobId,
    pipeline_job_create_time_utc: job.createTime,
    pipeline_job_schedule_time_utc: job.createTime,
    pipeline_root: job.pipelineRoot,
    pipeline_task_name: taskName,
    pipeline_task_uuid: taskId,
  };
}
