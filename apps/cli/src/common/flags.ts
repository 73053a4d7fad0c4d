// Parsing of flag values shared by the commands: repeatable flags, `name=value` pairs, numbers, times.
import { FlagError } from './errors.ts';

/** Commander accumulator of a repeatable flag. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * `name=value` flag values → name → value (the value may contain `=`).
 * @throws FlagError naming `flag` for a value without `=`.
 */
export function parsePairs(values: readonly string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const i = v.indexOf('=');
    if (i <= 0) throw new FlagError(flag, `'${v}' is not name=value`);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

/** `--param k=v` values → name → raw string. @throws FlagError on a value without `=`. */
export function parseParams(values: readonly string[] | undefined): Record<string, string> {
  return parsePairs(values, '--param');
}

/** A positive integer flag value. @throws FlagError */
export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new FlagError(flag, `'${value}' is not a positive integer`);
  return n;
}

/** A non-negative integer flag value. @throws FlagError */
export function nonNegativeInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new FlagError(flag, `'${value}' is not a whole number`);
  return n;
}

/** An ISO 8601 time flag value. @throws FlagError */
export function isoTime(value: string, flag: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new FlagError(flag, `'${value}' is not an ISO 8601 time`);
  return d;
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `2s`, `10m`, `1h30m`, `500ms`, `1d` into milliseconds. @throws FlagError */
export function parseDuration(value: string, flag: string): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) {
    throw new FlagError(flag, `'${value}' is not a duration like 30s, 10m, 1h30m`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS[p[2] ?? 's'] ?? 0), 0);
}

/** Human form of milliseconds: 90000 → `1m30s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
    ['ms', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
