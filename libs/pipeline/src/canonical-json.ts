// Deterministic JSON: object keys sorted at every level, two-space indent, trailing newline.
// Same value in, same bytes out, so a spec's sha256 identifies it.

/** A JSON value. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new TypeError(`JSON has no representation for ${value}`);
  }
  return value;
}

/** Serialises `value` with sorted keys (undefined properties dropped); throws on NaN/Infinity. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** Serialises `value` on one line with sorted keys: the text form of a typed LIST or STRUCT value. */
export function compactJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** True when `value` is JSON: null, a boolean, a finite number, a string, or arrays/plain objects of them. */
export function isJson(value: unknown): boolean {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).every(isJson);
  }
  return false;
}
