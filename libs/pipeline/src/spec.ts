// The pure part of the library (no Node built-ins): spec reading, parameter typing, runtime config.
// Workflow code imports `@conveyor/pipeline/spec`, which the Temporal bundler accepts.
export {
  InvalidParametersError,
  InvalidPipelineSpecError,
  listProblems,
  MAX_LISTED_PROBLEMS,
  type ParameterIssue,
} from './errors.ts';
export {
  readPipelineSpec,
  ParameterTypeSchema,
  type ReadPipelineSpec,
  type RuntimeParameter,
} from './read-spec.ts';
export {
  toRuntimeConfig,
  ParameterValuesSchema,
  type LegacyParameterValue,
  type RuntimeConfig,
  type RuntimeConfigOptions,
} from './runtime-config.ts';
export { typeGivenParameters, typeParameters, typeTrials, typeValue, type TypingOptions } from './typing.ts';
export { normalizePrefix, uriProblem, type ParameterRules, type ParameterSetter } from './rules.ts';
export {
  ParameterTypes,
  ArtifactTypes,
  type ParameterType,
  type ArtifactType,
  type ParameterValue,
} from './types.ts';
