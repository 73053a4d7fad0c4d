import {
  compilePipeline,
  declaredParameters,
  readPipelineSpec,
  toRuntimeConfig,
  typeGivenParameters,
  typeParameters,
  type PipelineConventions,
} from '@conveyor/pipeline';
import { registeredPipelines, UnknownPipelineError, type RegisteredPipeline } from '@conveyor/pipelines';
import type { PipelineCatalog } from './types.ts';

/**
 * A catalog over registered pipelines (libs/pipelines by default; tests pass their own) with
 * libs/pipeline's compiler, spec reader and parameter typing — the one typing function the bridge,
 * CLI and schedules use too. Pipelines are typed by their declarations (with bounds and operator
 * settings), not by their compiled spec, which cannot carry those.
 */
export function createPipelineCatalog(
  registered: readonly RegisteredPipeline[] = registeredPipelines(),
): PipelineCatalog {
  const byName = new Map(registered.map((r) => [r.pipeline.name, r]));
  const entry = (name: string): RegisteredPipeline => {
    const found = byName.get(name);
    if (found === undefined) throw new UnknownPipelineError(name, [...byName.keys()].sort());
    return found;
  };
  return {
    has: (name) => byName.has(name),
    conventions: (name): PipelineConventions => entry(name).conventions,
    typeParameters: (name, values, options) =>
      typeParameters(declaredParameters(entry(name).pipeline), values, options),
    typeGivenParameters: (name, values, options) =>
      typeGivenParameters(declaredParameters(entry(name).pipeline), values, options),
    compile: (name, image) => {
      const compiled = compilePipeline(entry(name).pipeline, { image });
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
