/**
 * A task's inputs (from the job's parameters, constants and upstream outputs) and outputs (URIs under
 * the pipeline root, local output files), and the executor input JSON the KFP v2 protocol hands over.
 */
import { join } from 'node:path';
import type { ArtifactRecord, JobRecord, TaskRecord } from './job-model.ts';
import type { ComponentDef, ParameterType, PipelineSpec, TaskDef } from './spec-types.ts';
import type { Json, JsonObject } from './struct.ts';

/** A task's resolved inputs and planned outputs. */
export interface TaskIo {
  parameters: Record<string, Json>;
  /** Declared types of the component's input parameters (2.0.0 executors get typed Values). */
  parameterTypes: Record<string, ParameterType>;
  inputArtifacts: Record<string, ArtifactRecord>;
  outputArtifacts: Record<string, ArtifactRecord>;
  outputParameterFiles: Record<string, string>;
  outputFile: string;
  /** `gs://<root>/<projectNumber>/<jobId>/<taskName>_<executionId>`: where outputs and the log go. */
  outputDir: string;
}

/** Thrown when an input cannot be resolved (upstream output missing): the task fails naming it. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Resolves inputs and plans outputs. `localDir` holds output parameter files and executor output. */
export function planTaskIo(args: {
  job: JobRecord;
  spec: PipelineSpec;
  task: TaskDef;
  component: ComponentDef;
  executionId: string;
  projectNumber: string;
  localDir: string;
  upstream: (taskKey: string) => TaskRecord | undefined;
}): TaskIo {
  const { job, task, component, upstream } = args;
  const parameters: Record<string, Json> = {};
  for (const [name, def] of Object.entries(component.inputParameters)) {
    const source = task.parameters[name];
    if (!source) {
      if (def.defaultValue !== undefined) parameters[name] = def.defaultValue;
      continue;
    }
    if (source.kind === 'constant') parameters[name] = source.value;
    else if (source.kind === 'componentInput') {
      if (source.name in job.parameterValues) parameters[name] = job.parameterValues[source.name] ?? null;
      else if (def.defaultValue !== undefined) parameters[name] = def.defaultValue;
    } else {
      const producer = upstream(source.producerTask);
      if (!producer || !(source.key in producer.outputParameters)) {
        throw new InputError(
          `input parameter "${name}": task "${source.producerTask}" produced no output "${source.key}"`,
        );
      }
      parameters[name] = producer.outputParameters[source.key] ?? null;
    }
  }
  // Inputs wired by the task but not declared by the component still reach the executor (KFP does too).
  for (const [name, source] of Object.entries(task.parameters)) {
    if (!(name in parameters) && source.kind === 'constant') parameters[name] = source.value;
  }
  const inputArtifacts: Record<string, ArtifactRecord> = {};
  for (const [name, source] of Object.entries(task.artifacts)) {
    if (source.kind === 'componentInput') {
      throw new InputError(
        `input artifact "${name}": pipeline input artifacts (runtimeConfig.inputArtifacts) are not supported`,
      );
    }
    const producer = upstream(source.producerTask);
    const artifact = producer?.outputs[source.key]?.[0];
    if (!artifact)
      throw new InputError(
        `input artifact "${name}": task "${source.producerTask}" produced no "${source.key}"`,
      );
    inputArtifacts[name] = artifact;
  }
  const root = job.pipelineRoot.replace(/\/+$/, '');
  const outputDir = `${root}/${args.projectNumber}/${job.jobId}/${task.name}_${args.executionId}`;
  const outputArtifacts: Record<string, ArtifactRecord> = {};
  let n = 0;
  for (const [name, def] of Object.entries(component.outputArtifacts)) {
    outputArtifacts[name] = {
      name: `projects/${job.project}/locations/${job.location}/metadataStores/default/artifacts/${args.executionId}${n++}`,
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
    parameters,
    parameterTypes: Object.fromEntries(
      Object.entries(component.inputParameters).map(([k, d]) => [k, d.type]),
    ),
    inputArtifacts,
    outputArtifacts,
    outputParameterFiles,
    outputFile: join(args.localDir, 'outputs', 'executor_output.json'),
    outputDir,
  };
}

/** The executor input JSON (`{{$}}`, `--executor_input`). */
export function executorInput(io: TaskIo, schemaVersion: PipelineSpec['schemaVersion']): JsonObject {
  const artifactList = (a: ArtifactRecord): JsonObject => ({
    artifacts: [
      {
        name: a.name,
        type: { schemaTitle: a.schemaTitle, schemaVersion: a.schemaVersion },
        uri: a.uri,
        metadata: a.metadata,
      },
    ],
  });
  const inputs: JsonObject = {
    parameterValues: io.parameters,
    artifacts: Object.fromEntries(Object.entries(io.inputArtifacts).map(([k, a]) => [k, artifactList(a)])),
  };
  if (schemaVersion === '2.0.0') inputs['parameters'] = legacyParameters(io.parameters, io.parameterTypes);
  return {
    inputs,
    outputs: {
      parameters: Object.fromEntries(
        Object.entries(io.outputParameterFiles).map(([k, f]) => [k, { outputFile: f }]),
      ),
      artifacts: Object.fromEntries(Object.entries(io.outputArtifacts).map(([k, a]) => [k, artifactList(a)])),
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
