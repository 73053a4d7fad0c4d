/**
 * A task's inputs, resolved in the DAG it belongs to: the DAG's own inputs (`componentInput…`),
 * constants, sibling outputs (`taskOutput…`), a sibling's final status (exit handlers), a CEL
 * selector on top (`parameterExpressionSelector`), defaults, and KFP's conversions (a STRING input
 * given another kind of value receives its JSON text).
 */
import { selectValue } from './cel.ts';
import type { ArtifactRecord, TaskRecord } from './job-model.ts';
import type { ComponentDef, DagDef, ParameterSource, ParameterType, TaskDef } from './spec-types.ts';
import type { Json } from './struct.ts';
import { messageOf } from '../rpc-error.ts';

/** A task's (or a DAG's) resolved inputs. */
export interface TaskInputs {
  parameters: Record<string, Json>;
  artifacts: Record<string, ArtifactRecord[]>;
}

/** One running DAG: its definition, record, inputs and the records of its tasks. */
export interface DagScope {
  dag: DagDef;
  record: TaskRecord;
  inputs: TaskInputs;
  /** Records of the DAG's tasks by task key. */
  children: Map<string, TaskRecord>;
  /** `taskUniqueName` of the DAG's record, prefixed to its tasks' names; '' for the root DAG. */
  prefix: string;
}

/** A task that cannot run or did not succeed for a reason other than its process (inputs, condition, loop, sub-DAG). */
export class TaskError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TaskError';
  }
}

/** The status struct an exit handler receives (ml_pipelines.PipelineTaskFinalStatus, JSON). */
export function finalStatus(jobName: string, producer: TaskRecord): Json {
  // A cache hit and a condition that did not fire both ended without error.
  const state =
    producer.state === 'SKIPPED' || producer.state === 'NOT_TRIGGERED' ? 'SUCCEEDED' : producer.state;
  return {
    state,
    pipelineJobResourceName: jobName,
    pipelineTaskName: producer.taskName,
    ...(producer.error && state !== 'SUCCEEDED'
      ? { error: { code: producer.error.code, message: producer.error.message } }
      : {}),
  };
}

/**
 * Resolves what a task of `scope` receives. @throws TaskError naming the missing input or failing selector
 */
export function resolveTaskInputs(
  jobName: string,
  scope: DagScope,
  task: TaskDef,
  component: ComponentDef,
): TaskInputs {
  const parameters: Record<string, Json> = {};
  const names = new Set([...Object.keys(component.inputParameters), ...Object.keys(task.parameters)]);
  for (const name of names) {
    const def = component.inputParameters[name];
    const source = task.parameters[name];
    let value: Json | undefined = source ? sourceValue(jobName, scope, name, source) : undefined;
    if (value === undefined && def?.defaultValue !== undefined) value = def.defaultValue;
    if (value === undefined) continue;
    parameters[name] = def ? convert(def.type, value) : value;
  }
  const artifacts: Record<string, ArtifactRecord[]> = {};
  for (const [name, source] of Object.entries(task.artifacts)) {
    let list: ArtifactRecord[] | undefined;
    if (source.kind === 'componentInput') list = scope.inputs.artifacts[source.name];
    else list = producer(scope, source.producerTask, name).outputs[source.key];
    if (list && list.length > 0) artifacts[name] = list;
    else if (component.inputArtifacts[name]?.isOptional !== true) {
      throw new TaskError(
        source.kind === 'componentInput'
          ? `input artifact "${name}": no artifact was given for "${source.name}"`
          : `input artifact "${name}": task "${source.producerTask}" produced no "${source.key}"`,
      );
    }
  }
  return { parameters, artifacts };
}

function sourceValue(
  jobName: string,
  scope: DagScope,
  name: string,
  source: ParameterSource,
): Json | undefined {
  let value: Json | undefined;
  switch (source.kind) {
    case 'constant':
      value = source.value;
      break;
    case 'componentInput':
      value = scope.inputs.parameters[source.name];
      break;
    case 'taskFinalStatus':
      return finalStatus(jobName, producer(scope, source.producerTask, name));
    case 'taskOutput': {
      const from = producer(scope, source.producerTask, name);
      if (!(source.key in from.outputParameters)) {
        const why = from.state === 'NOT_TRIGGERED' ? ' (its condition was false)' : '';
        throw new TaskError(
          `input parameter "${name}": task "${source.producerTask}" produced no output "${source.key}"${why}`,
        );
      }
      value = from.outputParameters[source.key] ?? null;
    }
  }
  if (value === undefined || !source.selector) return value;
  try {
    return selectValue(value, source.selector);
  } catch (e: unknown) {
    throw new TaskError(`input parameter "${name}": ${messageOf(e)}`, {
      cause: e,
    });
  }
}

function producer(scope: DagScope, key: string, input: string): TaskRecord {
  const record = scope.children.get(key);
  if (!record) throw new TaskError(`input "${input}": no task "${key}" in this DAG`);
  return record;
}

/** KFP's driver hands a STRING input any other value as its JSON text; other kinds pass as they are. */
export function convert(type: ParameterType, value: Json): Json {
  if (type === 'STRING' && typeof value !== 'string') return JSON.stringify(value);
  return value;
}
