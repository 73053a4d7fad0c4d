/**
 * Reads a submitted PipelineSpec (schema 2.0.0 or 2.1.0) into the shapes in spec-types.ts.
 * Structural problems are INVALID_ARGUMENT at submission, as Vertex rejects a malformed spec.
 */
import { invalidArgument } from './errors.ts';
import type {
  ArtifactDef,
  ArtifactSource,
  ComponentDef,
  ContainerDef,
  ParameterDef,
  ParameterSource,
  ParameterType,
  PipelineSpec,
  RetryPolicy,
  TaskDef,
} from './spec-types.ts';
import { isObject, type Json, type JsonObject } from './struct.ts';

const TYPES: Record<string, ParameterType> = {
  NUMBER_INTEGER: 'NUMBER_INTEGER',
  NUMBER_DOUBLE: 'NUMBER_DOUBLE',
  STRING: 'STRING',
  BOOLEAN: 'BOOLEAN',
  LIST: 'LIST',
  STRUCT: 'STRUCT',
  // schema 2.0.0 (`type`)
  INT: 'NUMBER_INTEGER',
  DOUBLE: 'NUMBER_DOUBLE',
};

/** @throws RpcError INVALID_ARGUMENT naming what is wrong in the spec. */
export function readPipelineSpec(spec: JsonObject): PipelineSpec {
  const schemaVersion = spec['schemaVersion'];
  if (schemaVersion !== '2.0.0' && schemaVersion !== '2.1.0') {
    throw invalidArgument(
      `Unsupported pipelineSpec.schemaVersion ${JSON.stringify(schemaVersion)}: expected 2.0.0 or 2.1.0.`,
    );
  }
  const info = obj(spec['pipelineInfo']);
  const pipelineName = typeof info['name'] === 'string' ? info['name'] : 'pipeline';
  const root = readComponent('root', obj(spec['root']));
  const components: Record<string, ComponentDef> = {};
  for (const [name, c] of Object.entries(obj(spec['components'])))
    components[name] = readComponent(name, obj(c));
  const executors: PipelineSpec['executors'] = {};
  for (const [name, e] of Object.entries(obj(obj(spec['deploymentSpec'])['executors']))) {
    executors[name] = readExecutor(name, obj(e));
  }
  const dagTasks = obj(obj(obj(spec['root'])['dag'])['tasks']);
  const tasks = Object.entries(dagTasks).map(([key, t]) => readTask(key, obj(t)));
  checkReferences(tasks, components, executors);
  checkAcyclic(tasks);
  const defaultRoot = spec['defaultPipelineRoot'];
  return {
    schemaVersion,
    pipelineName,
    ...(typeof defaultRoot === 'string' && defaultRoot ? { defaultPipelineRoot: defaultRoot } : {}),
    root,
    components,
    executors,
    tasks,
  };
}

function readComponent(name: string, c: JsonObject): ComponentDef {
  const inputs = obj(c['inputDefinitions']);
  const outputs = obj(c['outputDefinitions']);
  const executorLabel = c['executorLabel'];
  return {
    name,
    inputParameters: readParameters(name, obj(inputs['parameters'])),
    inputArtifacts: readArtifacts(obj(inputs['artifacts'])),
    outputParameters: readParameters(name, obj(outputs['parameters'])),
    outputArtifacts: readArtifacts(obj(outputs['artifacts'])),
    ...(typeof executorLabel === 'string' ? { executorLabel } : {}),
    hasDag: isObject(c['dag']),
  };
}

function readParameters(component: string, params: JsonObject): Record<string, ParameterDef> {
  const out: Record<string, ParameterDef> = {};
  for (const [name, raw] of Object.entries(params)) {
    const p = obj(raw);
    const declared = p['parameterType'] ?? p['type'];
    const type = typeof declared === 'string' ? TYPES[declared] : undefined;
    if (!type) {
      throw invalidArgument(
        `Parameter "${name}" of ${component} has unsupported type ${JSON.stringify(declared)}.`,
      );
    }
    const def: ParameterDef = { name, type, isOptional: p['isOptional'] === true };
    if (p['defaultValue'] !== undefined) def.defaultValue = p['defaultValue'];
    out[name] = def;
  }
  return out;
}

function readArtifacts(artifacts: JsonObject): Record<string, ArtifactDef> {
  const out: Record<string, ArtifactDef> = {};
  for (const [name, raw] of Object.entries(artifacts)) {
    const a = obj(raw);
    const type = obj(a['artifactType']);
    const title =
      typeof type['schemaTitle'] === 'string' ? type['schemaTitle'] : titleFromInstanceSchema(type);
    const version = typeof type['schemaVersion'] === 'string' ? type['schemaVersion'] : '0.0.1';
    out[name] = { name, schemaTitle: title, schemaVersion: version, isOptional: a['isOptional'] === true };
  }
  return out;
}

/** 2.0.0 (TFX) specs give `instanceSchema: "title: tfx.Model\n..."` instead of a title. */
function titleFromInstanceSchema(type: JsonObject): string {
  const schema = type['instanceSchema'];
  const m = typeof schema === 'string' ? /title:\s*(\S+)/.exec(schema) : null;
  return m?.[1] ?? 'system.Artifact';
}

function readExecutor(name: string, e: JsonObject): ContainerDef | { unsupported: string } {
  if (!isObject(e['container'])) {
    const kind = Object.keys(e)[0] ?? 'empty';
    return {
      unsupported: `executor "${name}" is a ${kind} executor; the emulator runs container executors only`,
    };
  }
  const c = e['container'];
  if (typeof c['image'] !== 'string' || !c['image'])
    throw invalidArgument(`Executor "${name}" has no container image.`);
  const env: Record<string, string> = {};
  for (const item of Array.isArray(c['env']) ? c['env'] : []) {
    const entry = obj(item);
    if (typeof entry['name'] === 'string') env[entry['name']] = String(entry['value'] ?? '');
  }
  return { image: c['image'], command: strings(c['command']), args: strings(c['args']), env };
}

function readTask(key: string, t: JsonObject): TaskDef {
  const ref = obj(t['componentRef'])['name'];
  if (typeof ref !== 'string') throw invalidArgument(`Task "${key}" has no componentRef.name.`);
  const inputs = obj(t['inputs']);
  const parameters: Record<string, ParameterSource> = {};
  const artifacts: Record<string, ArtifactSource> = {};
  const dependsOn = new Set(strings(t['dependentTasks']));
  for (const [name, raw] of Object.entries(obj(inputs['parameters']))) {
    const source = readParameterSource(key, name, obj(raw));
    if (source.kind === 'taskOutput') dependsOn.add(source.producerTask);
    parameters[name] = source;
  }
  for (const [name, raw] of Object.entries(obj(inputs['artifacts']))) {
    const a = obj(raw);
    const producer = obj(a['taskOutputArtifact']);
    let source: ArtifactSource;
    if (typeof producer['producerTask'] === 'string') {
      source = {
        kind: 'taskOutput',
        producerTask: producer['producerTask'],
        key: String(producer['outputArtifactKey']),
      };
      dependsOn.add(source.producerTask);
    } else if (typeof a['componentInputArtifact'] === 'string') {
      source = { kind: 'componentInput', name: a['componentInputArtifact'] };
    } else {
      throw invalidArgument(`Task "${key}" input artifact "${name}" has no supported source.`);
    }
    artifacts[name] = source;
  }
  const taskInfo = obj(t['taskInfo']);
  const condition = obj(t['triggerPolicy'])['condition'];
  const retry = readRetry(obj(t['retryPolicy']));
  return {
    key,
    name: typeof taskInfo['name'] === 'string' ? taskInfo['name'] : key,
    componentRef: ref,
    dependsOn: [...dependsOn],
    parameters,
    artifacts,
    ...(retry ? { retry } : {}),
    ...(typeof condition === 'string' && condition ? { condition } : {}),
    iterator: isObject(t['parameterIterator']) || isObject(t['artifactIterator']),
  };
}

function readParameterSource(task: string, name: string, p: JsonObject): ParameterSource {
  if (typeof p['componentInputParameter'] === 'string')
    return { kind: 'componentInput', name: p['componentInputParameter'] };
  const producer = obj(p['taskOutputParameter']);
  if (typeof producer['producerTask'] === 'string') {
    return {
      kind: 'taskOutput',
      producerTask: producer['producerTask'],
      key: String(producer['outputParameterKey']),
    };
  }
  const runtime = obj(p['runtimeValue']);
  if ('constant' in runtime) return { kind: 'constant', value: runtime['constant'] ?? null };
  if (isObject(runtime['constantValue'])) {
    // schema 2.0.0: {intValue: "3"} | {doubleValue: 0.1} | {stringValue: "x"}
    const v = runtime['constantValue'];
    if ('intValue' in v) return { kind: 'constant', value: Number(v['intValue']) };
    if ('doubleValue' in v) return { kind: 'constant', value: Number(v['doubleValue']) };
    return { kind: 'constant', value: String(v['stringValue'] ?? '') };
  }
  throw invalidArgument(`Task "${task}" input parameter "${name}" has no supported source.`);
}

function readRetry(r: JsonObject): RetryPolicy | undefined {
  const max = Number(r['maxRetryCount'] ?? 0);
  if (!(max > 0)) return undefined;
  return {
    maxRetryCount: Math.floor(max),
    backoffMs: durationMs(r['backoffDuration'], 0),
    backoffFactor: Number(r['backoffFactor'] ?? 2) || 2,
    // KFP's default cap on the backoff is one hour.
    backoffMaxMs: durationMs(r['backoffMaxDuration'], 3_600_000),
  };
}

/** protobuf-JSON Duration ("1.5s") in milliseconds. */
function durationMs(value: Json | undefined, fallback: number): number {
  if (typeof value !== 'string') return fallback;
  const m = /^(\d+(?:\.\d+)?)s$/.exec(value);
  return m?.[1] ? Math.round(Number(m[1]) * 1000) : fallback;
}

function checkReferences(
  tasks: TaskDef[],
  components: Record<string, ComponentDef>,
  executors: PipelineSpec['executors'],
): void {
  const keys = new Set(tasks.map((t) => t.key));
  for (const task of tasks) {
    const component = components[task.componentRef];
    if (!component)
      throw invalidArgument(`Task "${task.key}" refers to unknown component "${task.componentRef}".`);
    if (component.executorLabel && !executors[component.executorLabel]) {
      throw invalidArgument(
        `Component "${component.name}" refers to unknown executor "${component.executorLabel}".`,
      );
    }
    for (const dep of task.dependsOn) {
      if (!keys.has(dep)) throw invalidArgument(`Task "${task.key}" depends on unknown task "${dep}".`);
    }
  }
}

/** Why the emulator cannot run a task, or undefined when it can. */
export function unsupportedReason(spec: PipelineSpec, task: TaskDef): string | undefined {
  if (task.condition) return `triggerPolicy.condition (${task.condition}) is not supported by the emulator`;
  if (task.iterator) return 'ParallelFor (parameter/artifact iterators) is not supported by the emulator';
  if (spec.components[task.componentRef]?.hasDag)
    return 'nested DAG components are not supported by the emulator';
  return undefined;
}

/** Depth-first search for a dependency cycle. @throws RpcError INVALID_ARGUMENT naming the cycle */
function checkAcyclic(tasks: TaskDef[]): void {
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  const done = new Set<string>();
  const visit = (key: string, path: string[]): void => {
    if (done.has(key)) return;
    if (path.includes(key)) {
      throw invalidArgument(
        `The pipeline DAG has a cycle: ${[...path.slice(path.indexOf(key)), key].join(' -> ')}.`,
      );
    }
    for (const dep of byKey.get(key)?.dependsOn ?? []) visit(dep, [...path, key]);
    done.add(key);
  };
  for (const t of tasks) visit(t.key, []);
}

function obj(value: Json | undefined): JsonObject {
  return isObject(value) ? value : {};
}

function strings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) : [];
}
