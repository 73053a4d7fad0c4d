// What components and pipelines declare: parameter and artifact types, shared by the DSL, the compiler
// and the spec reader.

/** The parameter types of PipelineSpec 2.1.0 that Conveyor supports (`ParameterType.ParameterTypeEnum`). */
export const ParameterTypes = ['NUMBER_INTEGER', 'NUMBER_DOUBLE', 'STRING', 'BOOLEAN'] as const;

/** One of {@link ParameterTypes}. */
export type ParameterType = (typeof ParameterTypes)[number];

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

/** A parameter value as PipelineSpec carries it (JSON). */
export type ParameterValue = number | string | boolean;

/** The TypeScript type of a value of parameter type `T`. */
export type ValueOf<T extends ParameterType> = T extends 'NUMBER_INTEGER' | 'NUMBER_DOUBLE'
  ? number
  : T extends 'BOOLEAN'
    ? boolean
    : string;

/** Named parameters of a component's inputs or outputs, by type. */
export type ParameterDecls = Readonly<Record<string, ParameterType>>;

/** Named artifacts of a component's inputs or outputs, by type. */
export type ArtifactDecls = Readonly<Record<string, ArtifactType>>;

/** A component's inputs or outputs. */
export interface IoDecls<P extends ParameterDecls = ParameterDecls, A extends ArtifactDecls = ArtifactDecls> {
  /** Parameters (small JSON values) by name. @default {} */
  readonly parameters?: P;
  /** Artifacts (files under a URI) by name. @default {} */
  readonly artifacts?: A;
}
