// Typed values -> a PipelineJob runtimeConfig in the form the spec's schema version expects.
import { z } from 'zod';
import type { ReadPipelineSpec } from './read-spec.ts';
import type { JsonValue, ParameterValue } from './types.ts';

/** 2.0.0 `ml_pipelines.Value` (plain JSON; the gcp lib turns it into protobuf). */
export type LegacyParameterValue = { intValue: number } | { doubleValue: number } | { stringValue: string };

/** `PipelineJob.runtimeConfig` as plain JSON. */
export type RuntimeConfig =
  | {
      readonly gcsOutputDirectory: string;
      /** LIST and STRUCT values as JSON arrays and objects, the rest as typed. */
      readonly parameterValues: Readonly<Record<string, JsonValue>>;
    }
  | {
      readonly gcsOutputDirectory: string;
      readonly parameters: Readonly<Record<string, LegacyParameterValue>>;
    };

/** Zod schema of typed parameter values (name → number | string | boolean). */
export const ParameterValuesSchema = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]));

/** Options of {@link toRuntimeConfig}. */
export interface RuntimeConfigOptions {
  /** Pipeline root: where Vertex writes artifacts (gs://bucket/path). */
  readonly gcsOutputDirectory: string;
}

/**
 * Builds the runtimeConfig for `spec` from values already typed by `typeParameters`.
 * 2.1.0 → `{gcsOutputDirectory, parameterValues}` (LIST/STRUCT text parsed back to JSON); 2.0.0 → `{gcsOutputDirectory, parameters: {name: {intValue|doubleValue|stringValue}}}`.
 * @throws TypeError when a value names no declared parameter or does not fit a 2.0.0 type (call typeParameters first).
 */
export function toRuntimeConfig(
  spec: ReadPipelineSpec,
  typedValues: Readonly<Record<string, ParameterValue>>,
  options: RuntimeConfigOptions,
): RuntimeConfig {
  const sorted = Object.keys(typedValues).sort();
  const types = new Map(spec.parameters.map((p) => [p.name, p.type]));
  if (spec.schemaVersion === '2.1.0') {
    const value = (name: string): JsonValue => {
      const typed = typedValues[name] as ParameterValue;
      const type = types.get(name);
      // typeParameters carries LIST and STRUCT values as their JSON text; Vertex takes the value itself.
      return (type === 'LIST' || type === 'STRUCT') && typeof typed === 'string'
        ? (JSON.parse(typed) as JsonValue)
        : typed;
    };
    return {
      gcsOutputDirectory: options.gcsOutputDirectory,
      parameterValues: Object.fromEntries(sorted.map((k) => [k, value(k)])),
    };
  }
  const parameters: Record<string, LegacyParameterValue> = {};
  for (const name of sorted) {
    const value = typedValues[name];
    const type = types.get(name);
    if (type === 'NUMBER_INTEGER' && typeof value === 'number') parameters[name] = { intValue: value };
    else if (type === 'NUMBER_DOUBLE' && typeof value === 'number') parameters[name] = { doubleValue: value };
    else if (type === 'STRING' && typeof value === 'string') parameters[name] = { stringValue: value };
    else
      throw new TypeError(
        `parameter '${name}' (${type ?? 'undeclared'}) cannot hold ${JSON.stringify(value)} in a 2.0.0 spec`,
      );
  }
  return { gcsOutputDirectory: options.gcsOutputDirectory, parameters };
}
