// The "tiny" pipeline of the workflow tests: one task in the image the tiny repo builds. Its Model
// artifact carries a Keras-style per-epoch history (loss[], accuracy[]) for the run report's plot,
// declared as its curves.
import {
  defaultConventions,
  defineComponent,
  definePipeline,
  executorInput,
  kerasCurveKeys,
} from '@conveyor/pipeline';
import { createPipelineCatalog, type PipelineCatalog } from '@conveyor/activities';

const train = defineComponent({
  name: 'train',
  command: ['node', 'task.mjs', 'train'],
  args: ['--executor_input', executorInput()],
  inputs: { parameters: { num_epochs: 'NUMBER_INTEGER', sleep_seconds: 'NUMBER_DOUBLE', fail: 'BOOLEAN' } },
  outputs: {
    parameters: { pushed_uri: 'STRING' },
    artifacts: { metrics: 'system.Metrics', model: 'system.Model' },
  },
});

export const tiny = definePipeline(
  {
    name: 'tiny',
    parameters: {
      num_epochs: { type: 'NUMBER_INTEGER', default: 2 },
      sleep_seconds: { type: 'NUMBER_DOUBLE', default: 0 },
      fail: { type: 'BOOLEAN', default: false },
    },
  },
  (p) => {
    p.task('train', train, {
      num_epochs: p.param('num_epochs'),
      sleep_seconds: p.param('sleep_seconds'),
      fail: p.param('fail'),
    });
  },
);

/** A catalog holding only `tiny` (its build config at `apps/tiny/cloudbuild.yaml`). */
export function tinyCatalog(): PipelineCatalog {
  return createPipelineCatalog([
    {
      pipeline: tiny,
      conventions: {
        ...defaultConventions('tiny'),
        curves: { artifact: { task: 'train', output: 'model' }, keys: kerasCurveKeys },
      },
    },
  ]);
}
