/**
 * An importer task (dsl.importer): registers an existing URI as an artifact of the declared type, with
 * the declared metadata, without copying anything; its one output is that artifact.
 */
import type { TaskRecord } from './job-model.ts';
import { resolveString, type PlaceholderContext } from './placeholders.ts';
import type { RunContext } from './run-context.ts';
import type { ComponentDef, ImporterDef } from './spec-types.ts';
import { isObject, type Json, type JsonObject } from './struct.ts';
import { TaskError, type TaskInputs } from './task-inputs.ts';
import { artifactName, runtimeValues } from './task-io.ts';
import { messageOf } from '../rpc-error.ts';

/** Fills the record's outputs; the caller sets SUCCEEDED. @throws TaskError */
export function runImporter(
  run: RunContext,
  record: TaskRecord,
  component: ComponentDef,
  importer: ImporterDef,
  inputs: TaskInputs,
): void {
  const ctx: PlaceholderContext = {
    executorInput: {},
    parameters: inputs.parameters,
    inputArtifacts: {},
    outputArtifacts: {},
    outputParameterFiles: {},
    outputFile: '',
    runtime: runtimeValues(run.job, record.taskName, record.taskId),
  };
  const resolve = (value: Json): Json => {
    if (typeof value === 'string') return value.includes('{{$') ? resolveString(value, ctx) : value;
    if (Array.isArray(value)) return value.map(resolve);
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    return value;
  };
  let uri: Json;
  let metadata: Json;
  try {
    uri =
      'constant' in importer.artifactUri
        ? resolve(importer.artifactUri.constant)
        : (inputs.parameters[importer.artifactUri.runtimeParameter] ?? null);
    metadata = resolve(importer.metadata);
  } catch (e: unknown) {
    throw new TaskError(`importer: ${messageOf(e)}`, { cause: e });
  }
  if (typeof uri !== 'string' || !uri) {
    throw new TaskError(`importer: the artifact URI resolved to ${JSON.stringify(uri)}, not a URI`);
  }
  const key = Object.keys(component.outputArtifacts)[0] ?? 'artifact';
  const artifact = {
    name: artifactName(run.job, record.taskId, 0),
    displayName: key,
    uri,
    schemaTitle: importer.schemaTitle,
    schemaVersion: importer.schemaVersion,
    metadata: (isObject(metadata) ? metadata : {}) as JsonObject,
  };
  record.outputs = { [key]: [artifact] };
  run.artifacts.register(run.job.location, [artifact]);
}
