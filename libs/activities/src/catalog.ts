import {
  compilePipeline,
  declaredParameters,
  readPipelineSpec,
  toRuntimeConfig,
  typeParameters,
} from '@conveyor/pipeline';
import { getPipeline, listPipelines } from '@conveyor/pipelines';
import type { PipelineCatalog } from './types.ts';

/**
 * The catalog of the registered pipelines (libs/pipelines) with libs/pipeline's compiler, spec
 * reader and parameter typing — the one typing function the bridge, CLI and schedules use too.
 * Registered pipelines are typed by their declarations (with bounds and operator settings), not by
 * their compiled spec, which cannot carry those. A pipeline's build config is
 * `apps/<name>/cloudbuild.yaml` in its repository.
 */
export function createPipelineCatalog(): PipelineCatalog {
  return {
    has: (name) => listPipelines().includes(name),
    cloudBuildPath: (name) => `apps/${name}/cloudbuild.yaml`,
    typeParameters: (name, values, options) =>
      typeParameters(declaredParameters(getPipeline(name)), values, options),
    compile: (name, image) => {
      const compiled = compilePipeline(getPipeline(name), { image });
      return { json: compiled.json, sha256: compiled.sha256 };
    },
    typeSpecParameters: (spec, values, options) =>
      typeParameters(readPipelineSpec(spec).parameters, values, options),
    toJob: (spec, values, gcsOutputDirectory) => {
      const read = readPipelineSpec(spec);
      return {
        pipelineSpec: { ...read.pipelineSpec },
        runtimeConfig: toRuntimeConfig(read, values, { gcsOutputDirectory }) as never,
      };
    },
  };
}
