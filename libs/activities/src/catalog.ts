import {
  compilePipeline,
  readPipelineSpec,
  toRuntimeConfig,
  typeParameters,
  type PipelineConventions,
} from '@conveyor/pipeline';
import { registeredPipelines, type RegisteredPipeline } from '@conveyor/pipelines';
import type { PipelineCatalog } from './types.ts';

/** Image used only to read a registered pipeline's declared parameters (compile needs one). */
const DECLARATION_IMAGE = 'declaration-only';

/**
 * A catalog over registered pipelines (libs/pipelines by default; tests pass their own) with
 * libs/pipeline's compiler, spec reader and parameter typing — the one typing function the bridge,
 * CLI and schedules use too.
 */
export function createPipelineCatalog(
  registered: readonly RegisteredPipeline[] = registeredPipelines(),
): PipelineCatalog {
  const byName = new Map(registered.map((r) => [r.pipeline.name, r]));
  const entry = (name: string): RegisteredPipeline => {
    const found = byName.get(name);
    if (!found) throw new Error(`unknown pipeline '${name}'; registered: ${[...byName.keys()].join(', ')}`);
    return found;
  };
  // Declarations never change at runtime: compile each pipeline once, on first use.
  const declared = new Map<string, ReturnType<typeof readPipelineSpec>['parameters']>();
  const declarations = (name: string) => {
    let found = declared.get(name);
    if (!found) {
      found = readPipelineSpec(
        compilePipeline(entry(name).pipeline, { image: DECLARATION_IMAGE }).spec,
      ).parameters;
      declared.set(name, found);
    }
    return found;
  };
  return {
    has: (name) => byName.has(name),
    conventions: (name): PipelineConventions => entry(name).conventions,
    typeParameters: (name, values) => typeParameters(declarations(name), values),
    compile: (name, image) => {
      const compiled = compilePipeline(entry(name).pipeline, { image });
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
