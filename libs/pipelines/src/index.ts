// @conveyor/pipelines: the registered pipeline definitions.
export { DEFAULT_SERVING_ROOT, penguins, penguinsCurves, penguinsModel } from './penguins.ts';
export {
  getPipeline,
  listPipelines,
  registeredPipelines,
  UnknownPipelineError,
  type RegisteredPipeline,
} from './registry.ts';
