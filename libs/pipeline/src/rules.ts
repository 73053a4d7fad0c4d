// What a pipeline declares about a runtime parameter beyond its type: bounds (min, max, exclusive
// bounds, enum), whether it is a URI, and who may set it. The compiled PipelineSpec has no place for
// these, so the declarations in code stay their source of truth; `typeParameters` enforces them.
import type { ParameterType, ParameterValue } from './types.ts';

/** Who may set a runtime parameter. */
export type ParameterSetter =
  /** A run parameter (a hyperparameter): any trigger may set it. */
  | 'run'
  /** An operator setting: only the worker configuration sets it, unless declared `overridable`. */
  | 'operator';

/** Bounds, URI-ness and access of a runtime parameter. All optional; none means "any value of the type". */
export interface ParameterRules {
  /** Smallest allowed value, inclusive (NUMBER_INTEGER, NUMBER_DOUBLE). */
  readonly min?: number;
  /** Largest allowed value, inclusive. */
  readonly max?: number;
  /** Values must be greater than this. */
  readonly exclusiveMin?: number;
  /** Values must be less than this. */
  readonly exclusiveMax?: number;
  /** The only allowed values. */
  readonly enum?: readonly ParameterValue[];
  /**
   * A STRING that names a location: empty (none), or a `gs://bucket/object` URI without `..` under the
   * allowed locations. Any other string value that looks like a URI is held to the same rules.
   */
  readonly uri?: boolean;
  /** @default 'run' */
  readonly setBy?: ParameterSetter;
  /** An operator setting that a run may still set (its value then wins over the operator's). */
  readonly overridable?: boolean;
}

/** A value that names a location: a scheme (`x://`) or the `/gcs/` mount of a pipeline task. */
const LOOKS_LIKE_URI = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/|\/gcs\/)/;

/** `gs://<bucket>[/<object>]`, bucket names as Cloud Storage allows them (lowercase, 3–222 characters). */
const GCS_URI = /^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}[a-z0-9](\/.*)?$/s;

/** Control characters and backslashes never belong in a location. */
const UNSAFE = /[\u0000-\u001f\u007f\\]/;

/** Characters of a string value a message quotes: enough to recognise it, bounded for logs. */
const QUOTED_CHARS = 64;

function clip(text: string): string {
  return text.length > QUOTED_CHARS ? `${text.slice(0, QUOTED_CHARS)}…` : text;
}

/** A value as error messages show it: strings quoted (and cut), others by kind. */
export function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(clip(value));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Whether a string value is to be checked as a URI (declared `uri`, or looks like one). */
export function isUriValue(rules: ParameterRules, value: string): boolean {
  return rules.uri === true ? value !== '' : LOOKS_LIKE_URI.test(value);
}

/** A prefix as compared: always ending in `/`, so `gs://prod` never admits `gs://prod-evil/…`. */
export function normalizePrefix(prefix: string): string {
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** ` (origin)` after a value in a message, when the value did not come from the run. */
function from(origin: string | undefined): string {
  return origin === undefined ? '' : ` (${origin})`;
}

/**
 * What is wrong with a location a run would use, or undefined. It must be a `gs://bucket/object` URI,
 * contain no `..` (a task reads it through the `/gcs/` mount, where `..` climbs out of the bucket),
 * and, when `allowedPrefixes` is given, start with one of them. `origin` (e.g. `operator setting`)
 * is named after the value.
 */
export function uriProblem(
  uri: string,
  allowedPrefixes?: readonly string[],
  origin?: string,
): string | undefined {
  if (!GCS_URI.test(uri) || UNSAFE.test(uri))
    return `expected a gs://bucket/object URI, got ${quote(uri)}${from(origin)}`;
  if (uri.includes('..')) return `a URI may not contain "..", got ${quote(uri)}${from(origin)}`;
  if (allowedPrefixes === undefined) return undefined;
  const prefixes = allowedPrefixes.map(normalizePrefix);
  if (prefixes.some((p) => normalizePrefix(uri).startsWith(p))) return undefined;
  return `${clip(uri)}${from(origin)} is outside the allowed locations (${prefixes.join(', ')})`;
}

/**
 * The first bound `value` breaks, as a message naming the bound, or undefined. `given` is the value
 * as the user wrote it (shown in the message); `origin` is named after it.
 */
export function boundProblem(
  rules: ParameterRules,
  value: ParameterValue,
  given: unknown,
  origin?: string,
): string | undefined {
  const got = (typeof given === 'string' ? quote(given) : quote(value)) + from(origin);
  if (typeof value === 'number') {
    if (rules.min !== undefined && value < rules.min)
      return `expected at least ${rules.min} (min), got ${got}`;
    if (rules.max !== undefined && value > rules.max)
      return `expected at most ${rules.max} (max), got ${got}`;
    if (rules.exclusiveMin !== undefined && value <= rules.exclusiveMin)
      return `expected more than ${rules.exclusiveMin} (exclusiveMin), got ${got}`;
    if (rules.exclusiveMax !== undefined && value >= rules.exclusiveMax)
      return `expected less than ${rules.exclusiveMax} (exclusiveMax), got ${got}`;
  }
  if (rules.enum !== undefined && !rules.enum.includes(value))
    return `expected one of ${rules.enum.map(quote).join(', ')} (enum), got ${got}`;
  return undefined;
}

/**
 * Problems with one declaration's rules (for `definePipeline`): bounds only on numbers and in order,
 * enum values of the declared type, `uri` only on STRING, `overridable` only on operator settings.
 */
export function rulesProblems(name: string, type: ParameterType, rules: ParameterRules): string[] {
  const problems: string[] = [];
  const numeric = type === 'NUMBER_INTEGER' || type === 'NUMBER_DOUBLE';
  const bounds = [rules.min, rules.max, rules.exclusiveMin, rules.exclusiveMax];
  if (!numeric && bounds.some((b) => b !== undefined))
    problems.push(`parameter '${name}': min/max bounds need a number type, not ${type}`);
  if (bounds.some((b) => b !== undefined && !Number.isFinite(b)))
    problems.push(`parameter '${name}': bounds must be finite numbers`);
  const low = Math.max(rules.min ?? -Infinity, rules.exclusiveMin ?? -Infinity);
  const high = Math.min(rules.max ?? Infinity, rules.exclusiveMax ?? Infinity);
  const touching = low === high && (rules.exclusiveMin === low || rules.exclusiveMax === high);
  if (low > high || touching)
    problems.push(`parameter '${name}': no value fits between its lower and upper bounds`);
  if (rules.enum !== undefined) {
    const expected = numeric ? 'number' : type === 'BOOLEAN' ? 'boolean' : 'string';
    if (rules.enum.length === 0) problems.push(`parameter '${name}': enum is empty`);
    if (rules.enum.some((v) => typeof v !== expected))
      problems.push(`parameter '${name}': enum values must be of type ${type}`);
  }
  if (rules.uri === true && type !== 'STRING') problems.push(`parameter '${name}': uri needs type STRING`);
  if (rules.overridable === true && rules.setBy !== 'operator')
    problems.push(`parameter '${name}': overridable applies to operator settings (setBy: 'operator') only`);
  return problems;
}

/** Only the rules set in `decl` (absent ones stay absent), e.g. to copy them onto a RuntimeParameter. */
export function rulesOf(decl: ParameterRules): ParameterRules {
  const { min, max, exclusiveMin, exclusiveMax, uri, setBy, overridable } = decl;
  const rules = { min, max, exclusiveMin, exclusiveMax, enum: decl.enum, uri, setBy, overridable };
  return Object.fromEntries(Object.entries(rules).filter(([, v]) => v !== undefined));
}
