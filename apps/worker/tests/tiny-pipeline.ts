// The "tiny" pipeline of the workflow tests: one task in the image the tiny repo builds. Its Model
// artifact carries a Keras-style per-epoch history (loss[], accuracy[]) for the run report's plot.
import { defineComponent, definePipeline, executorInput } from '@conveyor/pipeline';
import { compilePipeline, readPipelineSpec, toRuntimeConfig, typeParameters } from '@conveyor/pipeline';
import type { PipelineCatalog } from '@conveyor/activities';

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

/** A catalog holding only `tiny`. */
export function tinyCatalog(): PipelineCatalog {
  const declared = () => readPipelineSpec(compilePipeline(tiny, { image: 'x' }).spec).parameters;
  return {
    has: (name) => name === 'tiny',
    cloudBuildPath: (name) => `apps/${name}/cloudbuild.yaml`,
    typeParameters: (_name, values, options) => typeParameters(declared(), values, options),
    compile: (_name, image) => {
      const c = compilePipeline(tiny, { image });
      return { json: c.json, sha256: c.sha256 };
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
