// The registered pipelines, by name: what `conveyor compile <name>` and training runs refer to.
import { defaultConventions, type Pipeline, type PipelineConventions } from '@conveyor/pipeline';
import { penguins, penguinsCurves, penguinsModel } from './penguins.ts';

/** A registered pipeline and where its files and model are. */
export interface RegisteredPipeline {
  readonly pipeline: Pipeline;
  readonly conventions: PipelineConventions;
}

const REGISTERED: readonly RegisteredPipeline[] = [
  {
    pipeline: penguins,
    conventions: { ...defaultConventions(penguins.name), model: penguinsModel, curves: penguinsCurves },
  },
];

const PIPELINES: ReadonlyMap<string, RegisteredPipeline> = new Map(
  REGISTERED.map((r) => [r.pipeline.name, r]),
);

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

/** Every registered pipeline with its conventions. */
export function registeredPipelines(): readonly RegisteredPipeline[] {
  return REGISTERED;
}

/**
 * The registered pipeline called `name`.
 * @throws UnknownPipelineError naming the registered pipelines.
 */
export function getPipeline(name: string): Pipeline {
  const registered = PIPELINES.get(name);
  if (registered === undefined) throw new UnknownPipelineError(name, listPipelines());
  return registered.pipeline;
}
