// Reads a compiled spec: ours (2.1.0), kfp 2.x output (2.1.0), or a TFX-era 2.0.0 PipelineJob file /
// bare 2.0.0 PipelineSpec, and lists its runtime parameters in one shape.
import { z } from 'zod';
import { InvalidPipelineSpecError } from './errors.ts';
import type { ParameterRules } from './rules.ts';
import { ParameterTypes, type ParameterType, type ParameterValue } from './types.ts';
import { typeValue } from './typing.ts';

/**
 * A runtime parameter of a compiled pipeline, or of a defined one (`declaredParameters`). Only a
 * definition carries {@link ParameterRules} (bounds, URI-ness, who sets it): a compiled spec cannot.
 */
export interface RuntimeParameter extends ParameterRules {
  readonly name: string;
  /** 2.0.0 types map INT → NUMBER_INTEGER, DOUBLE → NUMBER_DOUBLE, STRING → STRING. */
  readonly type: ParameterType;
  /** From `defaultValue` (2.1.0) or, in a PipelineJob file, from its `runtimeConfig`. */
  readonly default?: ParameterValue;
  /** True when a run may leave it unset (it has a default, or the spec says `isOptional`). */
  readonly optional: boolean;
  readonly description?: string;
}

/** A spec read by {@link readPipelineSpec}. */
export interface ReadPipelineSpec {
  readonly schemaVersion: '2.0.0' | '2.1.0';
  /** `pipelineInfo.name`. */
  readonly name: string;
  /** `sdkVersion` when present (e.g. `conveyor-0.1.0`, `kfp-2.17.3`, `tfx-1.14.0`). */
  readonly sdkVersion: string | undefined;
  /** The PipelineSpec object, as submitted to Vertex (`pipelineSpec` of a PipelineJob file). */
  readonly pipelineSpec: Readonly<Record<string, unknown>>;
  /** Runtime parameters sorted by name. */
  readonly parameters: readonly RuntimeParameter[];
  /** `displayName` when the input was a PipelineJob file. */
  readonly displayName: string | undefined;
}

/** Zod schema of a parameter type name. */
export const ParameterTypeSchema = z.enum(ParameterTypes);

const Value = z.union([z.number(), z.string(), z.boolean()]);

/** Zod schema of a {@link RuntimeParameter} (e.g. to carry the declared parameters in a request). */
export const RuntimeParameterSchema = z.object({
  name: z.string().min(1),
  type: ParameterTypeSchema,
  default: Value.optional(),
  optional: z.boolean(),
  description: z.string().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  exclusiveMin: z.number().optional(),
  exclusiveMax: z.number().optional(),
  enum: z.array(Value).optional(),
  uri: z.boolean().optional(),
  setBy: z.enum(['run', 'operator']).optional(),
  overridable: z.boolean().optional(),
});

const ParameterSpec = z.looseObject({
  parameterType: z.string().optional(),
  type: z.string().optional(),
  defaultValue: z.unknown().optional(),
  isOptional: z.boolean().optional(),
  description: z.string().optional(),
});

const PipelineSpecSchema = z.looseObject({
  schemaVersion: z.string(),
  sdkVersion: z.string().optional(),
  pipelineInfo: z.looseObject({ name: z.string().min(1) }),
  root: z.looseObject({
    inputDefinitions: z
      .looseObject({ parameters: z.record(z.string(), ParameterSpec).optional() })
      .optional(),
  }),
  components: z.record(z.string(), z.unknown()).optional(),
  deploymentSpec: z.looseObject({}).optional(),
});

// 2.0.0 `Value` (ml_pipelines.Value): int64 arrives as a JSON string or number.
const LegacyValue = z.union([
  z.object({ intValue: z.union([z.number(), z.string()]) }),
  z.object({ doubleValue: z.union([z.number(), z.string()]) }),
  z.object({ stringValue: z.string() }),
]);

const PipelineJobSchema = z.looseObject({
  displayName: z.string().optional(),
  pipelineSpec: z.record(z.string(), z.unknown()),
  runtimeConfig: z
    .looseObject({
      parameters: z.record(z.string(), LegacyValue).optional(),
      parameterValues: z.record(z.string(), z.unknown()).optional(),
      gcsOutputDirectory: z.string().optional(),
    })
    .optional(),
});

const LEGACY_TYPES: Readonly<Record<string, ParameterType>> = {
  INT: 'NUMBER_INTEGER',
  DOUBLE: 'NUMBER_DOUBLE',
  STRING: 'STRING',
};

function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/**
 * Reads a pipeline spec given as JSON text (string) or a parsed object.
 * @throws InvalidPipelineSpecError when it is neither a PipelineSpec (2.0.0/2.1.0) nor a PipelineJob file.
 */
export function readPipelineSpec(input: unknown): ReadPipelineSpec {
  let json: unknown = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (e: unknown) {
      throw new InvalidPipelineSpecError(`pipeline spec is not JSON: ${(e as Error).message}`, { cause: e });
    }
  }
  let jobDefaults: Record<string, unknown> = {};
  let displayName: string | undefined;
  if (typeof json === 'object' && json !== null && 'pipelineSpec' in json) {
    const job = PipelineJobSchema.safeParse(json);
    if (!job.success)
      throw new InvalidPipelineSpecError(`invalid PipelineJob file: ${issuesText(job.error)}`);
    jobDefaults = {
      ...legacyValues(job.data.runtimeConfig?.parameters ?? {}),
      ...job.data.runtimeConfig?.parameterValues,
    };
    displayName = job.data.displayName;
    json = job.data.pipelineSpec;
  }
  const parsed = PipelineSpecSchema.safeParse(json);
  if (!parsed.success)
    throw new InvalidPipelineSpecError(`invalid pipeline spec: ${issuesText(parsed.error)}`);
  const spec = parsed.data;
  if (spec.schemaVersion !== '2.0.0' && spec.schemaVersion !== '2.1.0') {
    throw new InvalidPipelineSpecError(
      `unsupported schemaVersion '${spec.schemaVersion}' (supported: 2.0.0, 2.1.0)`,
    );
  }
  const parameters = Object.entries(spec.root.inputDefinitions?.parameters ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, p]): RuntimeParameter => {
      const type = parameterType(name, p.parameterType, p.type);
      const given = jobDefaults[name] ?? p.defaultValue;
      const dflt = given === undefined ? undefined : defaultOf(name, type, given);
      return {
        name,
        type,
        ...(dflt === undefined ? {} : { default: dflt }),
        optional: dflt !== undefined || p.isOptional === true,
        ...(p.description === undefined ? {} : { description: p.description }),
      };
    });
  return {
    schemaVersion: spec.schemaVersion,
    name: spec.pipelineInfo.name,
    sdkVersion: spec.sdkVersion,
    pipelineSpec: spec,
    parameters,
    displayName,
  };
}

/** A default as a typed value: scalars as they are, LIST/STRUCT as compact JSON text (see typeParameters). */
function defaultOf(name: string, type: ParameterType, value: unknown): ParameterValue {
  if (type === 'LIST' || type === 'STRUCT') {
    const typed = typeValue(type, value);
    if (typed.ok) return typed.value;
    throw new InvalidPipelineSpecError(`runtime parameter '${name}' has a default that is not a ${type}`);
  }
  const scalar = Value.safeParse(value);
  if (!scalar.success) {
    throw new InvalidPipelineSpecError(
      `runtime parameter '${name}' has a default that is not a number, string or boolean`,
    );
  }
  return scalar.data;
}

function parameterType(
  name: string,
  parameterTypeName: string | undefined,
  legacy: string | undefined,
): ParameterType {
  if (parameterTypeName !== undefined) {
    const t = ParameterTypeSchema.safeParse(parameterTypeName);
    if (!t.success) {
      throw new InvalidPipelineSpecError(
        `runtime parameter '${name}' has type ${parameterTypeName}; supported: ${ParameterTypes.join(', ')}`,
      );
    }
    return t.data;
  }
  const mapped = legacy === undefined ? undefined : LEGACY_TYPES[legacy];
  if (mapped === undefined) {
    throw new InvalidPipelineSpecError(
      `runtime parameter '${name}' has no supported type (got ${legacy ?? 'none'})`,
    );
  }
  return mapped;
}

function legacyValues(
  values: Readonly<Record<string, z.infer<typeof LegacyValue>>>,
): Record<string, ParameterValue> {
  return Object.fromEntries(
    Object.entries(values).map(([name, v]) => [
      name,
      'intValue' in v ? Number(v.intValue) : 'doubleValue' in v ? Number(v.doubleValue) : v.stringValue,
    ]),
  );
}
