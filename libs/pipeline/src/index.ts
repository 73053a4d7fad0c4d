// @conveyor/pipeline: pipeline DSL, compiler to PipelineSpec 2.1.0, spec reading and parameter typing.
export * from './spec.ts';
export { canonicalJson, type Json } from './canonical-json.ts';
export { compilePipeline, SDK_VERSION, type CompileOptions, type CompiledPipeline } from './compile.ts';
export {
  defineComponent,
  type Component,
  type ComponentOptions,
  type ContainerResources,
} from './component.ts';
export {
  defaultConventions,
  type ModelConvention,
  type PipelineConventions,
  type TaskOutputRef,
} from './conventions.ts';
export { PipelineCompileError, PipelineDefinitionError } from './errors.ts';
export { InvalidImageReferenceError, parseImageReference, type ImageReference } from './image-ref.ts';
export {
  declaredParameters,
  definePipeline,
  type Pipeline,
  type PipelineBuilder,
  type PipelineOptions,
  type PipelineParamRef,
  type RetryPolicy,
  type RuntimeParameterDecl,
  type RuntimeParameterDecls,
  type TaskHandle,
  type TaskOptions,
  type TaskOutputArtifactRef,
  type TaskOutputParamRef,
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
export type { PipelineSpecJson } from './spec-types.ts';
export { ARTIFACT_SCHEMA_VERSION, type ArtifactDecls, type ParameterDecls, type ValueOf } from './types.ts';
