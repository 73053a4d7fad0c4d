/**
 * Conversions between google.protobuf.Struct / Value in the proto-loader object shape
 * (`{fields: {k: {stringValue: 'x'}}}`) and plain JSON. The Vertex client sends `pipelineSpec` as a
 * Struct, `parameterValues` as Values, and expects artifact metadata back as Structs.
 */

/** Plain JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** google.protobuf.Value as proto-loader hands it over (any of the oneof members, plus `kind` with `oneofs`). */
export interface ProtoValue {
  kind?: string;
  nullValue?: unknown;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: ProtoStruct | null;
  listValue?: { values?: ProtoValue[] | null } | null;
}

/** google.protobuf.Struct as proto-loader hands it over. */
export interface ProtoStruct {
  fields?: Record<string, ProtoValue> | null;
}

/** Reads a Struct into a plain object (an absent Struct is `{}`). */
export function structToJson(struct: ProtoStruct | null | undefined): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(struct?.fields ?? {})) out[key] = valueToJson(value);
  return out;
}

/** Reads a Value into plain JSON. A Value with no member set reads as null. */
export function valueToJson(value: ProtoValue | null | undefined): Json {
  if (value === null || value === undefined) return null;
  const kind = value.kind ?? memberOf(value);
  switch (kind) {
    case 'numberValue':
      return Number(value.numberValue);
    case 'stringValue':
      return String(value.stringValue);
    case 'boolValue':
      return Boolean(value.boolValue);
    case 'structValue':
      return structToJson(value.structValue);
    case 'listValue':
      return (value.listValue?.values ?? []).map((v) => valueToJson(v));
    default:
      return null;
  }
}

function memberOf(value: ProtoValue): string | undefined {
  const members = [
    'numberValue',
    'stringValue',
    'boolValue',
    'structValue',
    'listValue',
    'nullValue',
  ] as const;
  return members.find((m) => value[m] !== undefined && value[m] !== null);
}

/** Writes plain JSON as a Value (undefined becomes null, like JSON). */
export function jsonToValue(json: Json | undefined): ProtoValue {
  if (json === null || json === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof json === 'number') return { numberValue: json };
  if (typeof json === 'string') return { stringValue: json };
  if (typeof json === 'boolean') return { boolValue: json };
  if (Array.isArray(json)) return { listValue: { values: json.map((v) => jsonToValue(v)) } };
  return { structValue: jsonToStruct(json) };
}

/** Writes a plain object as a Struct. */
export function jsonToStruct(json: JsonObject): ProtoStruct {
  const fields: Record<string, ProtoValue> = {};
  for (const [key, value] of Object.entries(json)) fields[key] = jsonToValue(value);
  return { fields };
}

/** True for a non-null, non-array object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is an object, else `{}` (reading optional spec sections). */
export function obj(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

/** Command/args items: strings as they are, structured placeholders (objects) as JSON text. */
export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) : [];
}
