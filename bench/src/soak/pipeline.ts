// The soak's pipeline. The bridge types every message against the registered pipelines (penguins),
// so the soak's worker serves a pipeline under that name with penguins' own parameter declarations —
// the same bounds and operator settings, so the worker refuses what the bridge refuses — but a body of
// one fast task: the soak measures delivery and cleanup under chaos, not training, and a thousand
// penguins trainings do not fit in ten minutes on two cores. The task is the workflow tests' tiny
// task (`node task.mjs train --executor_input …`, apps/worker/tests/fixtures/tiny-repo), built from a
// scratch copy of that repository with its Cloud Build config, so every run really builds (once per
// commit) and really submits a Vertex job to the emulator.
import { createPipelineCatalog, type PipelineCatalog } from '@conveyor/activities';
import {
  defaultConventions,
  defineComponent,
  definePipeline,
  executorInput,
  type PipelineParamRef,
} from '@conveyor/pipeline';
import { penguins } from '@conveyor/pipelines';

/** Where the tiny repository keeps its Cloud Build config and task (`apps/tiny/…`). */
export const SOAK_APP = 'tiny';

/** The line the soak's worker process prints on stdout once its worker is created. */
export const WORKER_READY = 'soak-worker ready';

const train = defineComponent({
  name: 'train',
  command: ['node', 'task.mjs', 'train'],
  args: ['--executor_input', executorInput()],
  inputs: { parameters: { num_epochs: 'NUMBER_INTEGER' } },
  outputs: {
    parameters: { pushed_uri: 'STRING' },
    artifacts: { metrics: 'system.Metrics', model: 'system.Model' },
  },
});

/** Penguins' name and declared parameters, one fast task. */
export const soakPipeline = definePipeline(
  {
    name: penguins.name,
    description: 'Soak: penguins parameters, one fast task.',
    parameters: penguins.parameters,
  },
  (p) => {
    // `penguins.parameters` is typed as any declarations; penguins declares num_epochs NUMBER_INTEGER.
    p.task('train', train, { num_epochs: p.param('num_epochs') as PipelineParamRef<'NUMBER_INTEGER'> });
  },
);

/** The soak worker's catalog: {@link soakPipeline}, built with the tiny repository's config. */
export function soakCatalog(): PipelineCatalog {
  return createPipelineCatalog([{ pipeline: soakPipeline, conventions: defaultConventions(SOAK_APP) }]);
}
