// The registered pipelines, by name: what `conveyor compile <name>` and training runs refer to.
import type { Pipeline } from '@conveyor/pipeline';
import { penguins } from './penguins.ts';

const PIPELINES: ReadonlyMap<string, Pipeline> = new Map([[penguins.name, penguins]]);

/** A pipeline name that is not registered. */
export class UnknownPipelineError extends Error {
  override readonly name = 'UnknownPipelineError';
  /** The name asked for. */
  readonly pipeline: string;
  /** The registered names. */
  readonly known: readonly string[];

  constructor(pipeline: string, known: readonly string[]) {
    super(`unknown pipeline '${pipeline}'; registered pipelines: ${known.join(', ')}`);
    this.pipeline = pipeline;
    this.known = known;
  }
}

/** Names of the registered pipelines, sorted. */
export function listPipelines(): string[] {
  return [...PIPELINES.keys()].sort();
}

/**
 * The registered pipeline called `name`.
 * @throws UnknownPipelineError naming the registered pipelines.
 */
export function getPipeline(name: string): Pipeline {
  const pipeline = PIPELINES.get(name);
  if (pipeline === undefined) throw new UnknownPipelineError(name, listPipelines());
  return pipeline;
}
