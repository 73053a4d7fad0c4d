// The fuzzer's oracle: what the bridge must decide for a hyperparameter object, written again from the
// penguins trust boundary (not by calling the typing code it checks), so a wrong decision shows up as
// a disagreement. Used by src/decode.fuzz.spec.ts and bench/src/fuzz.ts through src/fuzz.ts.

/** A run parameter a message may set, as the penguins pipeline declares it. */
interface RunParameter {
  readonly integer: boolean;
  /** Inclusive unless `exclusiveMin`. */
  readonly min: number;
  readonly exclusiveMin: boolean;
  readonly max: number;
}

/** Penguins' run parameters (hyperparameters) and their bounds. */
export const RUN_PARAMETERS: Readonly<Record<string, RunParameter>> = {
  num_epochs: { integer: true, min: 1, exclusiveMin: false, max: 1000 },
  learning_rate: { integer: false, min: 0, exclusiveMin: true, max: 1 },
  seed: { integer: true, min: 0, exclusiveMin: false, max: 2 ** 32 - 1 },
};

/** Penguins' operator settings: a message setting one is refused. */
export const OPERATOR_SETTINGS: readonly string[] = [
  'data_uri',
  'threshold',
  'serving_root',
  'model_version',
];

/** Decimal integers, optionally signed, with surrounding whitespace (Python's `int()` accepts it). */
const INTEGER_TEXT = /^\s*[+-]?[0-9]+\s*$/;

/** Decimal numbers with an optional exponent (Python's `float()` minus inf/nan), whitespace allowed. */
const NUMBER_TEXT = /^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$/;

/** The number a raw value stands for under `p`, or undefined when the bridge must refuse it. */
export function expectedValue(p: RunParameter, raw: unknown): number | undefined {
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string' && (p.integer ? INTEGER_TEXT : NUMBER_TEXT).test(raw))
    n = Number(raw.trim());
  else return undefined;
  if (!Number.isFinite(n)) return undefined;
  if (p.integer && !Number.isSafeInteger(n)) return undefined;
  const aboveMin = p.exclusiveMin ? n > p.min : n >= p.min;
  return aboveMin && n <= p.max ? n : undefined;
}

/** The decision for a JSON object of hyperparameters: start with these typed values, or refuse. */
export type ObjectDecision =
  { readonly start: true; readonly parameters: Readonly<Record<string, number>> } | { readonly start: false };

/** What the bridge must decide for `entries` (a parsed JSON object, last key wins as in JSON.parse). */
export function expectedForObject(entries: readonly (readonly [string, unknown])[]): ObjectDecision {
  const last = new Map(entries);
  const parameters: Record<string, number> = {};
  for (const [name, raw] of last) {
    const p = Object.hasOwn(RUN_PARAMETERS, name) ? RUN_PARAMETERS[name] : undefined;
    const value = p === undefined ? undefined : expectedValue(p, raw);
    if (value === undefined) return { start: false };
    parameters[name] = value;
  }
  return { start: true, parameters };
}
