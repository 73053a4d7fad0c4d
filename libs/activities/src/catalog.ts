import { compilePipeline, readPipelineSpec, toRuntimeConfig, typeParameters } from '@conveyor/pipeline';
import { getPipeline, listPipelines } from '@conveyor/pipelines';
import type { PipelineCatalog } from './types.ts';

/** Image used only to read a registered pipeline's declared parameters (compile needs one). */
const DECLARATION_IMAGE = 'declaration-only';

/**
 * The catalog of the registered pipelines (libs/pipelines) with libs/pipeline's compiler, spec
 * reader and parameter typing — the one typing function the bridge, CLI and schedules use too.
 * A pipeline's build config is `apps/<name>/cloudbuild.yaml` in its repository.
 */
export function createPipelineCatalog(): PipelineCatalog {
  const declared = (name: string) =>
    readPipelineSpec(compilePipeline(getPipeline(name), { image: DECLARATION_IMAGE }).spec).parameters;
  return {
    has: (name) => listPipelines().includes(name),
    cloudBuildPath: (name) => `apps/${name}/cloudbuild.yaml`,
    typeParameters: (name, values) => typeParameters(declared(name), values),
    compile: (name, image) => {
      const compiled = compilePipeline(getPipeline(name), { image });
      return { json: compiled.json, sha256: compiled.sha256 };
    },
    typeSpecParameters: (spec, values) => typeParameters(readPipelineSpec(spec).parameters, values),
    toJob: (spec, values, gcsOutputDirectory) => {
      const read = readPipelineSpec(spec);
      return {
        pipelineSpec: { ...read.pipelineSpec },
        runtimeConfig: toRuntimeConfig(read, values, { gcsOutputDirectory }) as never,
      };
    },
  };
}
