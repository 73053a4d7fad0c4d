// What components and pipelines declare: parameter and artifact types, shared by the DSL, the compiler
// and the spec reader.

/**
 * The parameter types of PipelineSpec 2.1.0 that Conveyor supports (`ParameterType.ParameterTypeEnum`):
 * the four scalars plus `LIST` and `STRUCT` (JSON arrays and objects).
 */
export const ParameterTypes = [
  'NUMBER_INTEGER',
  'NUMBER_DOUBLE',
  'STRING',
  'BOOLEAN',
  'LIST',
  'STRUCT',
] as const;

/** One of {@link ParameterTypes}. */
export type ParameterType = (typeof ParameterTypes)[number];

/** The scalar parameter types: what conditions compare and what loops hand out one by one. */
export type PrimitiveType = 'NUMBER_INTEGER' | 'NUMBER_DOUBLE' | 'STRING' | 'BOOLEAN';

/** The numeric parameter types (comparable with each other, as kfp promotes integers to doubles). */
export type NumberType = 'NUMBER_INTEGER' | 'NUMBER_DOUBLE';

/**
 * What a component input parameter may be: a {@link ParameterType}, or `TASK_FINAL_STATUS` (the final
 * state of an exit handler's tasks, given to its exit task; see `taskFinalStatus()`).
 */
export type ComponentParameterType = ParameterType | 'TASK_FINAL_STATUS';

/** The artifact types Conveyor components use (`ArtifactTypeSchema.schemaTitle`). */
export const ArtifactTypes = [
  'system.Dataset',
  'system.Model',
  'system.Metrics',
  'system.ClassificationMetrics',
] as const;

/** One of {@link ArtifactTypes}. */
export type ArtifactType = (typeof ArtifactTypes)[number];

/** The schema version every `system.*` artifact type carries in KFP-compiled specs. */
export const ARTIFACT_SCHEMA_VERSION = '0.0.1';

/**
 * A typed runtime parameter value. `LIST` and `STRUCT` values are carried as their compact JSON text
 * (see `typeParameters`), so typed values stay strings, numbers and booleans wherever they travel.
 */
export type ParameterValue = number | string | boolean;

/** A JSON value (a `LIST` or `STRUCT` constant, or an element of one). */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** The TypeScript type of a constant of parameter type `T`. */
export type ValueOf<T extends ComponentParameterType> = T extends NumberType
  ? number
  : T extends 'BOOLEAN'
    ? boolean
    : T extends 'STRING'
      ? string
      : T extends 'LIST'
        ? readonly JsonValue[]
        : T extends 'STRUCT'
          ? { readonly [key: string]: JsonValue }
          : never;

/** Named parameters of a component's inputs or outputs, by type (`TASK_FINAL_STATUS`: inputs only). */
export type ParameterDecls = Readonly<Record<string, ComponentParameterType>>;

/** Named artifacts of a component's inputs or outputs, by type. */
export type ArtifactDecls = Readonly<Record<string, ArtifactType>>;

/** A component's inputs or outputs. */
export interface IoDecls<P extends ParameterDecls = ParameterDecls, A extends ArtifactDecls = ArtifactDecls> {
  /** Parameters (small JSON values) by name. @default {} */
  readonly parameters?: P;
  /** Artifacts (files under a URI) by name. @default {} */
  readonly artifacts?: A;
}
