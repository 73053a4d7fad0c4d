/**
 * Checks a job's runtime parameter values against the spec's declared root parameters, as Vertex does
 * at submission: wrong type, unknown or missing required parameter → INVALID_ARGUMENT naming it.
 */
import { invalidArgument } from './errors.ts';
import type { ParameterDef, ParameterType, PipelineSpec } from './spec-types.ts';
import { isObject, type Json, valueToJson, type ProtoValue } from './struct.ts';

/** aiplatform.v1.Value (schema 2.0.0 `runtimeConfig.parameters`), as proto-loader hands it over. */
export interface LegacyValue {
  value?: string;
  intValue?: string | number | { toString(): string };
  doubleValue?: number;
  stringValue?: string;
}

/** The runtime-parameter part of `runtimeConfig`. */
export interface RuntimeParameters {
  parameterValues?: Record<string, ProtoValue> | null;
  parameters?: Record<string, LegacyValue> | null;
}

/**
 * The pipeline's parameter values after validation, defaults applied (plain JSON).
 * @throws RpcError INVALID_ARGUMENT naming the offending parameter.
 */
export function resolveRuntimeParameters(
  spec: PipelineSpec,
  config: RuntimeParameters,
): Record<string, Json> {
  const declared = spec.root.inputParameters;
  const given: Record<string, Json> = {};
  const values = Object.entries(config.parameterValues ?? {});
  const legacy = Object.entries(config.parameters ?? {});
  if (spec.schemaVersion === '2.0.0' && values.length > 0) {
    throw invalidArgument(
      'runtimeConfig.parameterValues is not supported for pipelineSpec schemaVersion 2.0.0; use runtimeConfig.parameters.',
    );
  }
  for (const [name, value] of values) {
    checkKnownDef(declared, name);
    given[name] = valueToJson(value);
  }
  for (const [name, value] of legacy) given[name] = legacyToJson(checkKnownDef(declared, name), value);
  const out: Record<string, Json> = {};
  for (const def of Object.values(declared)) {
    if (def.name in given) {
      out[def.name] = checkType(def, given[def.name] ?? null);
    } else if (def.defaultValue !== undefined) {
      out[def.name] = normaliseDefault(def);
    } else if (!def.isOptional) {
      throw invalidArgument(
        `The pipeline parameter "${def.name}" is required (type ${def.type}) but no value was given.`,
      );
    }
  }
  return out;
}

function checkKnownDef(declared: Record<string, ParameterDef>, name: string): ParameterDef {
  const def = declared[name];
  if (!def) {
    const known = Object.keys(declared).join(', ') || 'none';
    throw invalidArgument(
      `The pipeline parameter "${name}" is not declared by the pipeline (declared: ${known}).`,
    );
  }
  return def;
}

/** A 2.0.0 Value must use the member that matches the declared type. */
function legacyToJson(def: ParameterDef, value: LegacyValue): Json {
  const member =
    value.value ?? (['intValue', 'doubleValue', 'stringValue'] as const).find((m) => value[m] !== undefined);
  const expected: Partial<Record<ParameterType, string>> = {
    NUMBER_INTEGER: 'intValue',
    NUMBER_DOUBLE: 'doubleValue',
    STRING: 'stringValue',
  };
  if (member !== expected[def.type]) {
    throw wrongType(def, member ? `a ${member}` : 'an empty Value');
  }
  if (member === 'intValue') return Number(String(value.intValue));
  if (member === 'doubleValue') return Number(value.doubleValue);
  return String(value.stringValue);
}

function checkType(def: ParameterDef, value: Json): Json {
  const ok = matches(def.type, value);
  if (!ok) throw wrongType(def, describe(value));
  return value;
}

/** Exposed for output parameters too: does `value` fit `type`? */
export function matches(type: ParameterType, value: Json): boolean {
  switch (type) {
    case 'NUMBER_INTEGER':
      return typeof value === 'number' && Number.isInteger(value);
    case 'NUMBER_DOUBLE':
      return typeof value === 'number' && Number.isFinite(value);
    case 'STRING':
      return typeof value === 'string';
    case 'BOOLEAN':
      return typeof value === 'boolean';
    case 'LIST':
      return Array.isArray(value);
    case 'STRUCT':
    case 'TASK_FINAL_STATUS':
    case 'TASK_CONFIG':
      return isObject(value);
  }
}

function normaliseDefault(def: ParameterDef): Json {
  const value = def.defaultValue ?? null;
  // 2.0.0 defaults are typed Values ({intValue: "5"}); 2.1.0 defaults are plain JSON.
  if (isObject(value) && def.type !== 'STRUCT') {
    if ('intValue' in value) return Number(value['intValue']);
    if ('doubleValue' in value) return Number(value['doubleValue']);
    if ('stringValue' in value) return String(value['stringValue']);
  }
  return value;
}

function wrongType(def: ParameterDef, got: string): Error {
  return invalidArgument(
    `The value of pipeline parameter "${def.name}" must be of type ${def.type}, got ${got}.`,
  );
}

function describe(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number')
    return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return typeof value === 'object' ? 'a struct' : `the ${typeof value} ${String(value)}`;
}
