import type { BuildRequest } from './cloud-build.ts';

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** `"600s"` / `"1.5s"` → protobuf Duration; anything else passes through. */
function duration(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value);
  if (!match) return value;
  const total = Number(match[1]);
  return { seconds: Math.floor(total), nanos: Math.round((total % 1) * 1e9) };
}

const durationKeys = new Set(['timeout', 'queueTtl']);
// Maps whose keys are user data (substitution names, env), not field names.
const verbatimMaps = new Set(['substitutions']);

function convert(value: unknown, key?: string): unknown {
  if (key && durationKeys.has(key)) return duration(value);
  if (Array.isArray(value)) return value.map((item) => convert(item));
  if (value && typeof value === 'object') {
    if (key && verbatimMaps.has(key)) return { ...(value as Record<string, unknown>) };
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [camel(k), convert(v, camel(k))]),
    );
  }
  return value;
}

/**
 * Turns a parsed `cloudbuild.yaml` (snake_case or camelCase keys, `"600s"` durations) into the
 * `Build` message the API takes.
 */
export function buildFromConfig(config: Record<string, unknown>): BuildRequest {
  return convert(config) as BuildRequest;
}
