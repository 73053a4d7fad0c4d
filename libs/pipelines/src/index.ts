// @conveyor/pipelines: the registered pipeline definitions.
export { DEFAULT_SERVING_ROOT, penguins } from './penguins.ts';
export { getPipeline, listPipelines, UnknownPipelineError } from './registry.ts';
