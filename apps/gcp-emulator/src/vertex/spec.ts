/**
 * Reads a submitted PipelineSpec (schema 2.0.0 or 2.1.0) into the shapes in spec-types.ts.
 * Structural problems are INVALID_ARGUMENT at submission, as Vertex rejects a malformed spec.
 */
import { invalidArgument } from './errors.ts';
import { checkDag, readDag } from './spec-tasks.ts';
import type {
  ArtifactDef,
  ComponentDef,
  DagDef,
  ExecutorDef,
  ParameterDef,
  ParameterType,
  PipelineSpec,
} from './spec-types.ts';
import { isObject, obj, strings, type JsonObject } from './struct.ts';

const TYPES: Record<string, ParameterType> = {
  NUMBER_INTEGER: 'NUMBER_INTEGER',
  NUMBER_DOUBLE: 'NUMBER_DOUBLE',
  STRING: 'STRING',
  BOOLEAN: 'BOOLEAN',
  LIST: 'LIST',
  STRUCT: 'STRUCT',
  TASK_FINAL_STATUS: 'TASK_FINAL_STATUS',
  TASK_CONFIG: 'TASK_CONFIG',
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
  const rootDag: DagDef = root.dag ?? { tasks: [], outputParameters: {}, outputArtifacts: {} };
  const parsed: PipelineSpec = {
    schemaVersion,
    pipelineName,
    root: { ...root, dag: rootDag },
    components,
    executors,
  };
  checkDag('root', rootDag, parsed);
  for (const c of Object.values(components)) {
    if (c.dag) checkDag(c.name, c.dag, parsed);
    else if (c.executorLabel !== undefined && !executors[c.executorLabel])
      throw invalidArgument(`Component "${c.name}" refers to unknown executor "${c.executorLabel}".`);
  }
  const defaultRoot = spec['defaultPipelineRoot'];
  if (typeof defaultRoot === 'string' && defaultRoot) parsed.defaultPipelineRoot = defaultRoot;
  return parsed;
}

function readComponent(name: string, c: JsonObject): ComponentDef {
  const inputs = obj(c['inputDefinitions']);
  const outputs = obj(c['outputDefinitions']);
  const executorLabel = c['executorLabel'];
  const dag = isObject(c['dag']) ? readDag(name, c['dag']) : undefined;
  return {
    name,
    inputParameters: readParameters(name, obj(inputs['parameters'])),
    inputArtifacts: readArtifacts(obj(inputs['artifacts'])),
    outputParameters: readParameters(name, obj(outputs['parameters'])),
    outputArtifacts: readArtifacts(obj(outputs['artifacts'])),
    ...(typeof executorLabel === 'string' ? { executorLabel } : {}),
    ...(dag ? { dag } : {}),
    raw: c,
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
    const { schemaTitle, schemaVersion } = readArtifactType(obj(a['artifactType']));
    out[name] = {
      name,
      schemaTitle,
      schemaVersion,
      isOptional: a['isOptional'] === true,
      isList: a['isArtifactList'] === true,
    };
  }
  return out;
}

/** `{schemaTitle, schemaVersion}`; 2.0.0 (TFX) specs give `instanceSchema: "title: tfx.Model\n..."` instead. */
function readArtifactType(type: JsonObject): { schemaTitle: string; schemaVersion: string } {
  const schema = type['instanceSchema'];
  const fromSchema = typeof schema === 'string' ? /title:\s*(\S+)/.exec(schema)?.[1] : undefined;
  return {
    schemaTitle:
      typeof type['schemaTitle'] === 'string' ? type['schemaTitle'] : (fromSchema ?? 'system.Artifact'),
    schemaVersion: typeof type['schemaVersion'] === 'string' ? type['schemaVersion'] : '0.0.1',
  };
}

function readExecutor(name: string, e: JsonObject): ExecutorDef {
  if (isObject(e['importer'])) return readImporter(name, e['importer']);
  if (!isObject(e['container'])) {
    const kind = Object.keys(e)[0] ?? 'empty';
    return {
      kind: 'unsupported',
      reason: `executor "${name}" is a ${kind} executor; the emulator runs container and importer executors only`,
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
  return {
    kind: 'container',
    image: c['image'],
    command: strings(c['command']),
    args: strings(c['args']),
    env,
    raw: e,
  };
}

function readImporter(name: string, i: JsonObject): ExecutorDef {
  const uri = obj(i['artifactUri']);
  let artifactUri: { constant: string } | { runtimeParameter: string };
  if (typeof uri['runtimeParameter'] === 'string')
    artifactUri = { runtimeParameter: uri['runtimeParameter'] };
  else if (typeof uri['constant'] === 'string') artifactUri = { constant: uri['constant'] };
  else if (isObject(uri['constantValue']) && typeof uri['constantValue']['stringValue'] === 'string')
    artifactUri = { constant: uri['constantValue']['stringValue'] };
  else
    throw invalidArgument(`Importer executor "${name}" has no artifactUri (constant or runtimeParameter).`);
  return {
    kind: 'importer',
    artifactUri,
    ...readArtifactType(obj(i['typeSchema'])),
    metadata: obj(i['metadata']),
  };
}
