import type { TracingConfig } from './tracing.ts';
import { z } from 'zod';

/** One problem found in the environment. */
export interface ConfigIssue {
  /** The environment variable at fault. */
  readonly variable: string;
  readonly message: string;
}

/** The environment does not satisfy an app's config schema; `issues` lists every problem. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    super(`invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/**
 * Parses an environment object once against a zod object schema whose keys are variable names.
 * @throws ConfigError naming every offending variable at once.
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> {
  // Empty strings mean "unset": `.env` files and shells produce them for blank variables.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      variable: issue.path.length > 0 ? issue.path.map(String).join('.') : '(environment)',
      message: issue.message,
    })),
  );
}

/**
 * A comma-separated variable as a list of `item`s (blanks around commas and empty entries dropped);
 * a bad entry is named by its index (`VARIABLE.1: …`).
 */
export function commaSeparated<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    )
    .pipe(z.array(item));
}

/** Temporal connection variables shared by every app (the names the `temporal` CLI reads). */
export const temporalEnvShape = {
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  /** Temporal Cloud API key. */
  TEMPORAL_API_KEY: z.string().optional(),
  /** Path of the mTLS client certificate (PEM) for Temporal Cloud. */
  TEMPORAL_TLS_CERT: z.string().optional(),
  /** Path of the mTLS client key (PEM). */
  TEMPORAL_TLS_KEY: z.string().optional(),
};

/** A zod object of {@link temporalEnvShape} that also checks cert and key come together. */
export function withTemporalEnv<T extends z.ZodRawShape>(shape: T) {
  return z.object({ ...temporalEnvShape, ...shape }).superRefine(
    (env, ctx) => {
      const record = env as Record<string, unknown>;
      const hasCert = record['TEMPORAL_TLS_CERT'] !== undefined;
      const hasKey = record['TEMPORAL_TLS_KEY'] !== undefined;
      if (hasCert !== hasKey) {
        ctx.addIssue({
          code: 'custom',
          path: [hasCert ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT'],
          message: 'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together',
        });
      }
      // Run even when other variables are bad, so every problem is reported at once.
    },
    { when: () => true },
  );
}

/**
 * OpenTelemetry variables every app reads (the standard names, so platform tooling that sets them
 * just works). Spans are exported only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set.
 */
export const otelEnvShape = {
  /** OTLP/HTTP base URL of a collector, e.g. `http://127.0.0.1:4318`; spans go to `<url>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s):// URL, e.g. http://127.0.0.1:4318' })
    .optional(),
  /** Only OTLP/HTTP with JSON bodies is built in; collectors accept it on the same port as protobuf. */
  OTEL_EXPORTER_OTLP_PROTOCOL: z
    .literal('http/json', { error: 'only http/json is supported (OTLP/HTTP, JSON encoding)' })
    .optional(),
  /** Overrides the app's own service name (`conveyor-worker`, `conveyor-bridge`). */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
};

/** Maps the parsed {@link otelEnvShape} variables onto a tracing config for `startTracing`. */
export function tracingConfigFromEnv(
  env: { OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined; OTEL_SERVICE_NAME?: string | undefined },
  defaultServiceName: string,
): TracingConfig {
  return {
    serviceName: env.OTEL_SERVICE_NAME ?? defaultServiceName,
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
  };
}

/**
 * Operator settings per pipeline (CONVEYOR_PIPELINE_SETTINGS), JSON
 * `{"<pipeline>": {"<parameter>": value}}`: they replace the declared defaults of those parameters.
 */
export const pipelineSettingsEnv = z
  .string()
  .transform((v, ctx) => {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not JSON: expected {"<pipeline>": {"<parameter>": value}}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))));

/** Operator settings: pipeline → parameter → value. */
export type PipelineSettings = Readonly<Record<string, Readonly<Record<string, string | number | boolean>>>>;

/** The pipeline root when CONVEYOR_PIPELINE_ROOT is unset: `gs://<project>-conveyor/pipeline-root`. */
export function defaultPipelineRoot(projectId: string): string {
  return `gs://${projectId}-conveyor/pipeline-root`;
}
