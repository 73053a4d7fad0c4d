import {
  compilePipeline,
  declaredParameters,
  readPipelineSpec,
  toRuntimeConfig,
  typeParameters,
  type Pipeline,
} from '@conveyor/pipeline';
import { getPipeline, listPipelines, UnknownPipelineError } from '@conveyor/pipelines';
import type { PipelineCatalog } from './types.ts';

/**
 * The catalog of `pipelines` (default: the registered ones, libs/pipelines) with libs/pipeline's
 * compiler, spec reader and parameter typing — the one typing function the bridge, CLI and schedules
 * use too. Pipelines are typed by their declarations (with bounds and operator settings), not by
 * their compiled spec, which cannot carry those. A pipeline's build config is
 * `apps/<name>/cloudbuild.yaml` in its repository.
 */
export function createPipelineCatalog(
  pipelines: readonly Pipeline[] = listPipelines().map(getPipeline),
): PipelineCatalog {
  const byName = new Map(pipelines.map((p) => [p.name, p]));
  const get = (name: string): Pipeline => {
    const pipeline = byName.get(name);
    if (pipeline === undefined) throw new UnknownPipelineError(name, [...byName.keys()].sort());
    return pipeline;
  };
  return {
    has: (name) => byName.has(name),
    cloudBuildPath: (name) => `apps/${name}/cloudbuild.yaml`,
    typeParameters: (name, values, options) => typeParameters(declaredParameters(get(name)), values, options),
    compile: (name, image) => {
      const compiled = compilePipeline(get(name), { image });
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
