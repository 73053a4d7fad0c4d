// Strict protobuf-JSON check of a spec against Kubeflow's ml_pipelines.PipelineSpec (tests/proto/).
// protobufjs' fromObject ignores unknown fields, so this walks the JSON and requires every key to be a
// field of its message type (camelCase JSON name or the proto name) and checks every value by the proto3
// JSON mapping (scalars, enum names, google.protobuf.Value/Struct/ListValue/Duration). protobufjs'
// fromObject cannot be used for values: it expects objects for well-known types, not their JSON forms.
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const PROTO_DIR = fileURLToPath(new URL('./proto/', import.meta.url));

/** Loads pipeline_spec.proto (and its imports: google/protobuf/* from protobufjs, google/rpc from tests/proto). */
export function loadPipelineSpecRoot(): protobuf.Root {
  const root = new protobuf.Root();
  const fallback = root.resolvePath.bind(root);
  root.resolvePath = (origin, target) =>
    target.startsWith('google/protobuf/') ? fallback(origin, target) : `${PROTO_DIR}${target}`;
  root.loadSync('pipeline_spec.proto', { keepCase: false });
  root.resolveAll();
  return root;
}

function checkValue(field: protobuf.Field, value: unknown, path: string, problems: string[]): void {
  const resolved = field.resolvedType;
  if (!(resolved instanceof protobuf.Type)) {
    if (resolved instanceof protobuf.Enum) {
      const known =
        typeof value === 'string'
          ? value in resolved.values
          : Object.values(resolved.values).includes(value as number);
      if (!known) problems.push(`${path}: ${JSON.stringify(value)} is not a ${resolved.name}`);
      return;
    }
    checkScalar(field.type, value, path, problems);
    return;
  }
  if (resolved.fullName === '.google.protobuf.Value') return; // any JSON value
  if (resolved.fullName === '.google.protobuf.Struct') {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      problems.push(`${path}: expected a JSON object (Struct)`);
    return;
  }
  if (resolved.fullName === '.google.protobuf.ListValue') {
    if (!Array.isArray(value)) problems.push(`${path}: expected a JSON array (ListValue)`);
    return;
  }
  if (resolved.fullName === '.google.protobuf.Duration') {
    if (typeof value !== 'string' || !/^-?\d+(\.\d+)?s$/.test(value))
      problems.push(`${path}: ${JSON.stringify(value)} is not a Duration`);
    return;
  }
  checkMessage(resolved, value, path, problems);
}

function checkScalar(type: string, value: unknown, path: string, problems: string[]): void {
  const ok =
    type === 'string'
      ? typeof value === 'string'
      : type === 'bool'
        ? typeof value === 'boolean'
        : type === 'bytes'
          ? typeof value === 'string'
          : ['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32'].includes(type)
            ? Number.isInteger(value)
            : ['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64'].includes(type)
              ? Number.isInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value))
              : typeof value === 'number';
  if (!ok) problems.push(`${path}: ${JSON.stringify(value)} is not a ${type}`);
}

/** Returns every problem: unknown keys, wrong scalar types, bad enum names. Empty means the JSON parses strictly. */
export function strictCheck(type: protobuf.Type, json: unknown, path = type.name): string[] {
  const problems: string[] = [];
  checkMessage(type, json, path, problems);
  return problems;
}

function checkMessage(type: protobuf.Type, json: unknown, path: string, problems: string[]): void {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    problems.push(`${path}: expected an object for ${type.name}`);
    return;
  }
  const byJsonName = new Map<string, protobuf.Field>();
  for (const f of type.fieldsArray) {
    byJsonName.set(f.name, f);
    byJsonName.set(
      f.name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
      f,
    );
  }
  for (const [key, value] of Object.entries(json)) {
    const field = byJsonName.get(key) ?? type.fields[key];
    if (field === undefined) {
      problems.push(`${path}.${key}: no such field in ${type.fullName}`);
      continue;
    }
    field.resolve();
    if (field instanceof protobuf.MapField) {
      if (typeof value !== 'object' || value === null) problems.push(`${path}.${key}: expected a map`);
      else for (const [k, v] of Object.entries(value)) checkValue(field, v, `${path}.${key}[${k}]`, problems);
    } else if (field.repeated) {
      if (!Array.isArray(value)) problems.push(`${path}.${key}: expected a list`);
      else value.forEach((v: unknown, i) => checkValue(field, v, `${path}.${key}[${i}]`, problems));
    } else {
      checkValue(field, value, `${path}.${key}`, problems);
    }
  }
  for (const oneof of type.oneofsArray) {
    const set = oneof.fieldsArray.filter(
      (f) =>
        Object.hasOwn(json, f.name) ||
        Object.hasOwn(
          json,
          f.name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
        ),
    );
    if (set.length > 1)
      problems.push(`${path}: oneof ${oneof.name} has ${set.map((f) => f.name).join(' and ')}`);
  }
}
