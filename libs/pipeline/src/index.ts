// @conveyor/pipeline: pipeline DSL, compiler to PipelineSpec 2.1.0, spec reading and parameter typing.
export * from './spec.ts';
export { canonicalJson, compactJson, type Json } from './canonical-json.ts';
export { compilePipeline, SDK_VERSION, type CompileOptions, type CompiledPipeline } from './compile.ts';
export {
  defineComponent,
  type Component,
  type ComponentOptions,
  type ContainerResources,
} from './component.ts';
export {
  eq,
  ge,
  gt,
  le,
  lt,
  ne,
  type Comparable,
  type ComparisonOperator,
  type Condition,
  type Operand,
} from './conditions.ts';
export {
  defaultConventions,
  kerasCurveKeys,
  type CurveKeys,
  type CurvesConvention,
  type ModelConvention,
  type PipelineConventions,
  type TaskOutputRef,
} from './conventions.ts';
export { PipelineCompileError, PipelineDefinitionError } from './errors.ts';
export { InvalidImageReferenceError, parseImageReference, type ImageReference } from './image-ref.ts';
export {
  declaredParameters,
  definePipeline,
  type Body,
  type ConditionChain,
  type GroupOptions,
  type LoopOptions,
  type Pipeline,
  type PipelineBuilder,
  type PipelineOptions,
  type RetryPolicy,
  type RuntimeParameterDecl,
  type RuntimeParameterDecls,
  type TaskHandle,
  type TaskInputs,
  type TaskOptions,
} from './pipeline.ts';
export {
  executorInput,
  executorOutputFile,
  findPlaceholderRefs,
  inputArtifactPath,
  inputArtifactUri,
  inputParam,
  outputArtifactPath,
  outputArtifactUri,
  outputParamFile,
  renderPlaceholder,
  type Arg,
  type Placeholder,
} from './placeholders.ts';
export {
  collected,
  taskFinalStatus,
  type CollectedRef,
  type ListRef,
  type LoopItemRef,
  type ParamSource,
  type PipelineParamRef,
  type TaskFinalStatusRef,
  type TaskOutputArtifactRef,
  type TaskOutputParamRef,
  type ValueRef,
} from './refs.ts';
export type { PipelineSpecJson } from './spec-types.ts';
export {
  ARTIFACT_SCHEMA_VERSION,
  type ArtifactDecls,
  type ComponentParameterType,
  type JsonValue,
  type NumberType,
  type ParameterDecls,
  type PrimitiveType,
  type ValueOf,
} from './types.ts';
