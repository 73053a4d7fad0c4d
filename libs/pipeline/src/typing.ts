// Parameter typing: user values (CLI strings, Pub/Sub JSON, schedule args) -> values of the declared
// types. The bridge, the CLI, schedules and the workflow all call typeParameters.
//
// Decisions (documented in README.md):
// - Numbers and booleans given as strings may carry surrounding whitespace (" 3 " → 3), as Python's
//   int()/float() accept it and the original system was Python.
// - NUMBER_INTEGER strings are decimal digits with an optional sign: "3.0", "1e3", "0x10" are rejected.
// - STRING accepts strings only; a number or boolean is an error (quote it), so a typo in a JSON message
//   is not silently turned into text.
// - BOOLEAN accepts true/false and the strings "true"/"false" in any case (Python writes "True").
// - null counts as a value of the wrong type, not as "unset".
// - LIST and STRUCT accept a JSON array/object or its JSON text, and type it as compact JSON text (sorted
//   keys): typed values stay strings, numbers and booleans through requests, memos and reports;
//   toRuntimeConfig sends the list or object itself.
import { compactJson, isJson } from './canonical-json.ts';
import { InvalidParametersError, type ParameterIssue } from './errors.ts';
import type { RuntimeParameter } from './read-spec.ts';
import type { ParameterType, ParameterValue } from './types.ts';

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

type Result = { ok: true; value: ParameterValue } | { ok: false; message: string };

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function toInteger(value: unknown): Result {
  const fail: Result = { ok: false, message: `expected an integer (NUMBER_INTEGER), got ${show(value)}` };
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && INTEGER.test(value.trim())) n = Number(value.trim());
  else return fail;
  if (!Number.isInteger(n)) return fail;
  if (!Number.isSafeInteger(n)) {
    return {
      ok: false,
      message: `integer ${show(value)} is outside the safe range ±${Number.MAX_SAFE_INTEGER}`,
    };
  }
  return { ok: true, value: n };
}

function toDouble(value: unknown): Result {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && DECIMAL.test(value.trim())) n = Number(value.trim());
  else return { ok: false, message: `expected a number (NUMBER_DOUBLE), got ${show(value)}` };
  if (!Number.isFinite(n))
    return { ok: false, message: `expected a finite number (NUMBER_DOUBLE), got ${show(value)}` };
  return { ok: true, value: n };
}

function toStringValue(value: unknown): Result {
  if (typeof value === 'string') return { ok: true, value };
  return {
    ok: false,
    message: `expected a string (STRING), got ${show(value)}; quote it to pass it as text`,
  };
}

function toBoolean(value: unknown): Result {
  if (typeof value === 'boolean') return { ok: true, value };
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (s === 'true') return { ok: true, value: true };
    if (s === 'false') return { ok: true, value: false };
  }
  return { ok: false, message: `expected true or false (BOOLEAN), got ${show(value)}` };
}

function toJsonText(type: 'LIST' | 'STRUCT', value: unknown): Result {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
  }
  const fits =
    type === 'LIST'
      ? Array.isArray(parsed)
      : typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  if (!fits || !isJson(parsed)) {
    const expected = type === 'LIST' ? 'a JSON list (LIST)' : 'a JSON object (STRUCT)';
    return { ok: false, message: `expected ${expected}, got ${show(value)}` };
  }
  return { ok: true, value: compactJson(parsed) };
}

/** Converts one value to `type`, or says why it cannot. */
export function typeValue(type: ParameterType, value: unknown): Result {
  switch (type) {
    case 'NUMBER_INTEGER':
      return toInteger(value);
    case 'NUMBER_DOUBLE':
      return toDouble(value);
    case 'STRING':
      return toStringValue(value);
    case 'BOOLEAN':
      return toBoolean(value);
    case 'LIST':
    case 'STRUCT':
      return toJsonText(type, value);
  }
}

/**
 * Types user `values` by the pipeline's `declared` runtime parameters and fills in defaults.
 * Optional parameters without a default stay unset. Values that are `undefined` count as not given.
 * @returns name → typed value, keys sorted by name.
 * @throws InvalidParametersError listing every bad value, every missing required and every unknown parameter.
 */
export function typeParameters(
  declared: readonly RuntimeParameter[],
  values: Readonly<Record<string, unknown>>,
): Record<string, ParameterValue> {
  const issues: ParameterIssue[] = [];
  const out: Record<string, ParameterValue> = {};
  const known = new Map(declared.map((p) => [p.name, p]));
  for (const name of Object.keys(values).sort()) {
    if (!known.has(name) && values[name] !== undefined) {
      const names = [...known.keys()].sort().join(', ') || '(none)';
      issues.push({ parameter: name, message: `unknown parameter; the pipeline declares: ${names}` });
    }
  }
  for (const p of [...declared].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const given = Object.hasOwn(values, p.name) ? values[p.name] : undefined;
    if (given === undefined) {
      if (p.default !== undefined) out[p.name] = p.default;
      else if (!p.optional)
        issues.push({ parameter: p.name, message: `required parameter (${p.type}) is missing` });
      continue;
    }
    const r = typeValue(p.type, given);
    if (r.ok) out[p.name] = r.value;
    else issues.push({ parameter: p.name, message: r.message });
  }
  if (issues.length > 0) throw new InvalidParametersError(issues);
  return out;
}
