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
// - Declared rules (rules.ts) apply after typing: bounds, URIs, and who may set what. Operator
//   settings come in through `options.settings`, never through the run's values.
import { compactJson, isJson } from './canonical-json.ts';
import { InvalidParametersError, type ParameterIssue } from './errors.ts';
import type { RuntimeParameter } from './read-spec.ts';
import { boundProblem, isUriValue, quote, uriProblem } from './rules.ts';
import type { ParameterType, ParameterValue } from './types.ts';

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

type Result = { ok: true; value: ParameterValue } | { ok: false; message: string };

function toInteger(value: unknown): Result {
  const fail: Result = { ok: false, message: `expected an integer (NUMBER_INTEGER), got ${quote(value)}` };
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && INTEGER.test(value.trim())) n = Number(value.trim());
  else return fail;
  if (!Number.isInteger(n)) return fail;
  if (!Number.isSafeInteger(n)) {
    return {
      ok: false,
      message: `integer ${quote(value)} is outside the safe range ±${Number.MAX_SAFE_INTEGER}`,
    };
  }
  return { ok: true, value: n };
}

function toDouble(value: unknown): Result {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && DECIMAL.test(value.trim())) n = Number(value.trim());
  else return { ok: false, message: `expected a number (NUMBER_DOUBLE), got ${quote(value)}` };
  if (!Number.isFinite(n))
    return { ok: false, message: `expected a finite number (NUMBER_DOUBLE), got ${quote(value)}` };
  return { ok: true, value: n };
}

function toStringValue(value: unknown): Result {
  if (typeof value === 'string') return { ok: true, value };
  return {
    ok: false,
    message: `expected a string (STRING), got ${quote(value)}; quote it to pass it as text`,
  };
}

function toBoolean(value: unknown): Result {
  if (typeof value === 'boolean') return { ok: true, value };
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (s === 'true') return { ok: true, value: true };
    if (s === 'false') return { ok: true, value: false };
  }
  return { ok: false, message: `expected true or false (BOOLEAN), got ${quote(value)}` };
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
    return { ok: false, message: `expected ${expected}, got ${quote(value)}` };
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

/** Options of {@link typeParameters}: what operators decide. */
export interface TypingOptions {
  /**
   * Operator values by parameter name (the worker configuration): they replace the declared defaults
   * and are the only way to set an operator setting a run may not override. Typed and checked like run
   * values; an error names them as `(operator setting)`.
   */
  readonly settings?: Readonly<Record<string, unknown>>;
  /**
   * Where URIs may point: `gs://` prefixes (a bucket `gs://b/` or a folder `gs://b/path/`). Every URI
   * value — given, an operator setting or a default — must start with one. Unset: only the URI's shape
   * is checked (gs://, no `..`), as the CLI and the bridge do before the worker checks the rest.
   */
  readonly allowedUriPrefixes?: readonly string[];
}

/** Where a value came from, for messages; a run's own values need no label. */
type Origin = 'run' | 'operator setting' | 'the pipeline default';

function unknownNames(
  known: ReadonlyMap<string, RuntimeParameter>,
  values: Readonly<Record<string, unknown>>,
  where: string,
): ParameterIssue[] {
  const names = [...known.keys()].sort().join(', ') || '(none)';
  return Object.keys(values)
    .sort()
    .filter((name) => !known.has(name) && values[name] !== undefined)
    .map((parameter) => ({
      parameter,
      message: `unknown parameter${where}; the pipeline declares: ${names}`,
    }));
}

/** Types and checks one present value: type, declared bounds, URI rules. */
function checkValue(p: RuntimeParameter, raw: unknown, origin: Origin, options: TypingOptions): Result {
  const label = origin === 'run' ? undefined : origin;
  const typed =
    origin === 'the pipeline default'
      ? { ok: true as const, value: raw as ParameterValue }
      : typeValue(p.type, raw);
  if (!typed.ok) return label ? { ok: false, message: `${typed.message} (${label})` } : typed;
  const bound = boundProblem(p, typed.value, raw, label);
  if (bound) return { ok: false, message: bound };
  if (typeof typed.value === 'string' && isUriValue(p, typed.value)) {
    const problem = uriProblem(typed.value, options.allowedUriPrefixes, label);
    if (problem) return { ok: false, message: problem };
  }
  return typed;
}

/**
 * Types user `values` by the pipeline's `declared` runtime parameters, applies operator settings and
 * defaults, and checks every value against the declared rules (bounds, URIs, who may set it).
 * Optional parameters without a value stay unset. Values that are `undefined` count as not given.
 * @returns name → typed value, keys sorted by name.
 * @throws InvalidParametersError listing every bad value, every broken bound, every operator setting a
 *   run tried to set, every missing required and every unknown parameter.
 */
export function typeParameters(
  declared: readonly RuntimeParameter[],
  values: Readonly<Record<string, unknown>>,
  options: TypingOptions = {},
): Record<string, ParameterValue> {
  const settings = options.settings ?? {};
  const known = new Map(declared.map((p) => [p.name, p]));
  const issues: ParameterIssue[] = [
    ...unknownNames(known, values, ''),
    ...unknownNames(known, settings, ' in the operator settings'),
  ];
  const out: Record<string, ParameterValue> = {};
  for (const p of [...declared].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const given = Object.hasOwn(values, p.name) ? values[p.name] : undefined;
    const setting = Object.hasOwn(settings, p.name) ? settings[p.name] : undefined;
    if (given !== undefined && p.setBy === 'operator' && p.overridable !== true) {
      issues.push({
        parameter: p.name,
        message:
          'is an operator setting: a run may not set it (operators set it in the worker configuration)',
      });
      continue;
    }
    const [raw, origin]: [unknown, Origin] =
      given !== undefined
        ? [given, 'run']
        : setting !== undefined
          ? [setting, 'operator setting']
          : [p.default, 'the pipeline default'];
    if (raw === undefined) {
      if (!p.optional)
        issues.push({ parameter: p.name, message: `required parameter (${p.type}) is missing` });
      continue;
    }
    const r = checkValue(p, raw, origin, options);
    if (r.ok) out[p.name] = r.value;
    else issues.push({ parameter: p.name, message: r.message });
  }
  if (issues.length > 0) throw new InvalidParametersError(issues);
  return out;
}

/**
 * Types what a trigger gave like {@link typeParameters} (every rule checked, operator settings and
 * defaults included) and keeps only the given names, in the order given: a trigger stores what it
 * was given, typed, and the run applies the defaults and operator settings in force when it runs.
 * Every trigger (bridge, `conveyor run`, schedules, sweeps) types its values here.
 * @throws InvalidParametersError like {@link typeParameters}.
 */
export function typeGivenParameters(
  declared: readonly RuntimeParameter[],
  given: Readonly<Record<string, unknown>>,
  options: TypingOptions = {},
): Record<string, ParameterValue> {
  const typed = typeParameters(declared, given, options);
  const out: Record<string, ParameterValue> = {};
  for (const name of Object.keys(given)) {
    const value = typed[name];
    if (given[name] !== undefined && value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * Types every trial of a sweep: the shared values with one combination of swept values each, through
 * `type` (the caller's typing of given values, e.g. {@link typeGivenParameters} over a declaration).
 * Every trial is tried, so one refusal lists the problems of all of them, each named by its trial
 * (`trial 2 ({"num_epochs":0}): num_epochs: …`).
 * @returns the typed trials in order, and the problems (empty when every trial fits)
 * @throws whatever `type` throws that is not an InvalidParametersError
 */
export function typeTrials(
  type: (given: Record<string, unknown>) => Record<string, ParameterValue>,
  shared: Readonly<Record<string, unknown>>,
  combos: readonly Readonly<Record<string, unknown>>[],
): { trials: Record<string, ParameterValue>[]; problems: string[] } {
  const trials: Record<string, ParameterValue>[] = [];
  const problems: string[] = [];
  combos.forEach((combo, index) => {
    try {
      trials.push(type({ ...shared, ...combo }));
    } catch (e: unknown) {
      if (!(e instanceof InvalidParametersError)) throw e;
      const trial = `trial ${index} (${JSON.stringify(combo)})`;
      problems.push(...e.issues.map((i) => `${trial}: ${i.parameter}: ${i.message}`));
    }
  });
  return { trials, problems };
}
