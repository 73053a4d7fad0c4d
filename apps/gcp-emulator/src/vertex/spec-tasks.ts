/**
 * Reads the DAG of a component (root or nested): its tasks (inputs, dependencies, trigger policy,
 * iterator, caching, retry) and its outputs, and checks each DAG's references and acyclicity.
 */
import { invalidArgument } from './errors.ts';
import type {
  ArtifactSource,
  DagDef,
  DagOutputParameter,
  IteratorDef,
  ParameterSource,
  PipelineSpec,
  RetryPolicy,
  TaskDef,
} from './spec-types.ts';
import { isObject, obj, strings, type Json, type JsonObject } from './struct.ts';

/** `component.dag` → DagDef. @throws RpcError INVALID_ARGUMENT */
export function readDag(component: string, dag: JsonObject): DagDef {
  const tasks = Object.entries(obj(dag['tasks'])).map(([key, t]) => readTask(key, obj(t)));
  const outputs = obj(dag['outputs']);
  const outputParameters: Record<string, DagOutputParameter> = {};
  for (const [name, raw] of Object.entries(obj(outputs['parameters']))) {
    const p = obj(raw);
    const single = obj(p['valueFromParameter']);
    const oneOf = obj(p['valueFromOneof'])['parameterSelectors'];
    if (typeof single['producerSubtask'] === 'string') {
      outputParameters[name] = { selectors: [selector(single, 'outputParameterKey')], oneOf: false };
    } else if (Array.isArray(oneOf)) {
      outputParameters[name] = {
        selectors: oneOf.map((s) => selector(obj(s), 'outputParameterKey')),
        oneOf: true,
      };
    } else {
      throw invalidArgument(
        `Output parameter "${name}" of DAG ${component} has no valueFromParameter or valueFromOneof.`,
      );
    }
  }
  const outputArtifacts: DagDef['outputArtifacts'] = {};
  for (const [name, raw] of Object.entries(obj(outputs['artifacts']))) {
    const list = obj(raw)['artifactSelectors'];
    outputArtifacts[name] = (Array.isArray(list) ? list : []).map((s) =>
      selector(obj(s), 'outputArtifactKey'),
    );
  }
  return { tasks, outputParameters, outputArtifacts };
}

function selector(s: JsonObject, keyField: string): { producerSubtask: string; key: string } {
  return { producerSubtask: String(s['producerSubtask'] ?? ''), key: String(s[keyField] ?? '') };
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
    if (source.kind === 'taskOutput' || source.kind === 'taskFinalStatus') dependsOn.add(source.producerTask);
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
  const trigger = obj(t['triggerPolicy']);
  const condition = trigger['condition'];
  const retry = readRetry(obj(t['retryPolicy']));
  const iterator = readIterator(key, t);
  const caching = obj(t['cachingOptions']);
  const limit = Number(obj(t['iteratorPolicy'])['parallelismLimit'] ?? 0);
  return {
    key,
    name: typeof taskInfo['name'] === 'string' ? taskInfo['name'] : key,
    componentRef: ref,
    dependsOn: [...dependsOn],
    parameters,
    artifacts,
    ...(retry ? { retry } : {}),
    ...(typeof condition === 'string' && condition ? { condition } : {}),
    // proto-JSON enum: the name, or its number (2) from clients that send numbers.
    runAfterUpstreamCompleted:
      trigger['strategy'] === 'ALL_UPSTREAM_TASKS_COMPLETED' || trigger['strategy'] === 2,
    ...(iterator ? { iterator } : {}),
    parallelism: Number.isInteger(limit) && limit > 0 ? limit : 0,
    cache: {
      enabled: caching['enableCache'] === true,
      ...(typeof caching['cacheKey'] === 'string' && caching['cacheKey'] ? { key: caching['cacheKey'] } : {}),
    },
  };
}

function readIterator(task: string, t: JsonObject): IteratorDef | undefined {
  if (isObject(t['parameterIterator'])) {
    const it = t['parameterIterator'];
    const items = obj(it['items']);
    const itemInput = String(it['itemInput'] ?? '');
    if (typeof items['raw'] === 'string')
      return { kind: 'parameter', itemInput, items: { raw: items['raw'] } };
    if (typeof items['inputParameter'] === 'string')
      return { kind: 'parameter', itemInput, items: { inputParameter: items['inputParameter'] } };
    throw invalidArgument(
      `Task "${task}" has a parameterIterator without items.raw or items.inputParameter.`,
    );
  }
  if (isObject(t['artifactIterator'])) {
    const it = t['artifactIterator'];
    const inputArtifact = obj(it['items'])['inputArtifact'];
    if (typeof inputArtifact !== 'string')
      throw invalidArgument(`Task "${task}" has an artifactIterator without items.inputArtifact.`);
    return { kind: 'artifact', itemInput: String(it['itemInput'] ?? ''), inputArtifact };
  }
  return undefined;
}

function readParameterSource(task: string, name: string, p: JsonObject): ParameterSource {
  const selector = typeof p['parameterExpressionSelector'] === 'string' && p['parameterExpressionSelector'];
  const withSelector = (s: ParameterSource): ParameterSource => (selector ? { ...s, selector } : s);
  if (typeof p['componentInputParameter'] === 'string')
    return withSelector({ kind: 'componentInput', name: p['componentInputParameter'] });
  const producer = obj(p['taskOutputParameter']);
  if (typeof producer['producerTask'] === 'string') {
    return withSelector({
      kind: 'taskOutput',
      producerTask: producer['producerTask'],
      key: String(producer['outputParameterKey']),
    });
  }
  const finalStatus = obj(p['taskFinalStatus']);
  if (typeof finalStatus['producerTask'] === 'string')
    return { kind: 'taskFinalStatus', producerTask: finalStatus['producerTask'] };
  const runtime = obj(p['runtimeValue']);
  if ('constant' in runtime) return withSelector({ kind: 'constant', value: runtime['constant'] ?? null });
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

/**
 * A DAG's tasks refer to known components (and those to known executors), depend only on their
 * siblings, and form no cycle. @throws RpcError INVALID_ARGUMENT naming the problem
 */
export function checkDag(owner: string, dag: DagDef, spec: PipelineSpec): void {
  const byKey = new Map(dag.tasks.map((t) => [t.key, t]));
  for (const task of dag.tasks) {
    if (!spec.components[task.componentRef])
      throw invalidArgument(`Task "${task.key}" refers to unknown component "${task.componentRef}".`);
    for (const dep of task.dependsOn) {
      if (!byKey.has(dep))
        throw invalidArgument(`Task "${task.key}" depends on unknown task "${dep}" (in ${owner}).`);
    }
  }
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
  for (const t of dag.tasks) visit(t.key, []);
  for (const [name, out] of Object.entries(dag.outputParameters)) {
    for (const s of out.selectors) {
      if (!byKey.has(s.producerSubtask))
        throw invalidArgument(
          `Output parameter "${name}" of ${owner} comes from unknown task "${s.producerSubtask}".`,
        );
    }
  }
}
