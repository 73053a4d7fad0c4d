/**
 * Strict command-line flags for the components: `--name value` or `--name=value`, each at most once.
 * KFP renders every input as its own argument, so strictness catches a pipeline/component mismatch
 * at the first task instead of as a silently ignored value.
 */

/** A usage mistake: unknown, repeated, missing or malformed flag. The process exits with status 2. */
export class UsageError extends Error {
  /** The flag at fault, without dashes, when there is one. */
  readonly flag: string | undefined;
  constructor(message: string, flag?: string) {
    super(message);
    this.name = 'UsageError';
    this.flag = flag;
  }
}

/** Which flags a component takes. */
export interface FlagSpec<R extends string, O extends string> {
  /** Flags that must be present with a non-empty value. */
  readonly required: readonly R[];
  /** Flags that may be absent; an empty value counts as absent (KFP renders unset optionals as ""). */
  readonly optional: readonly O[];
}

/** Parsed flag values: required ones always present, optional ones possibly undefined. */
export type Flags<R extends string, O extends string> = { readonly [K in R]: string } & {
  readonly [K in O]?: string;
};

/**
 * Parses `argv` (the arguments after the component name) against `spec`.
 * @throws UsageError naming the flag for an unknown, repeated, valueless or missing flag.
 */
export function parseFlags<R extends string, O extends string>(
  argv: readonly string[],
  spec: FlagSpec<R, O>,
): Flags<R, O> {
  const known = new Set<string>([...spec.required, ...spec.optional]);
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (!token.startsWith('--'))
      throw new UsageError(`unexpected argument '${token}' (flags look like --name value)`);
    const eq = token.indexOf('=');
    const name = token.slice(2, eq === -1 ? undefined : eq);
    if (!known.has(name)) {
      throw new UsageError(
        `unknown flag --${name} (known: ${[...known].map((k) => `--${k}`).join(', ')})`,
        name,
      );
    }
    if (values.has(name)) throw new UsageError(`flag --${name} given more than once`, name);
    let value: string;
    if (eq !== -1) {
      value = token.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new UsageError(`flag --${name} needs a value`, name);
      value = next;
      i++;
    }
    values.set(name, value);
  }
  const result: Record<string, string> = {};
  for (const name of spec.required) {
    const value = values.get(name);
    if (value === undefined || value === '') throw new UsageError(`missing required flag --${name}`, name);
    result[name] = value;
  }
  for (const name of spec.optional) {
    const value = values.get(name);
    if (value !== undefined && value !== '') result[name] = value;
  }
  return result as Flags<R, O>;
}

/** Parses an integer flag value ("3", "-1"); rejects "3.5", "abc", "". */
export function intValue(flag: string, value: string): number {
  if (!/^[+-]?\d+$/.test(value.trim()))
    throw new UsageError(`flag --${flag} must be an integer, got '${value}'`, flag);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new UsageError(`flag --${flag} is out of range: '${value}'`, flag);
  return n;
}

/** Parses a finite number flag value ("0.01", "1e-2"); rejects NaN, Infinity, "". */
export function doubleValue(flag: string, value: string): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n))
    throw new UsageError(`flag --${flag} must be a finite number, got '${value}'`, flag);
  return n;
}

/** Parses a boolean flag value: "true" or "false" in any case (KFP renders booleans so). */
export function boolValue(flag: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new UsageError(`flag --${flag} must be true or false, got '${value}'`, flag);
}
