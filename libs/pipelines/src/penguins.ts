// The penguins pipeline: ExampleGen → Trainer → Evaluator → Pusher, each a command of the apps/penguins
// image (`node penguins.js <component> --flag value …`, flags as in apps/penguins/src/components/*).
// The pusher runs only when the evaluator blessed the model and the run asked for a push: two nested
// conditions (TFX's Evaluator → Pusher contract), so an unblessed run shows `if-blessed` NOT_TRIGGERED.
import {
  defineComponent,
  definePipeline,
  eq,
  executorOutputFile,
  inputArtifactPath,
  inputParam,
  kerasCurveKeys,
  outputArtifactPath,
  outputParamFile,
  type Arg,
  type CurvesConvention,
  type ModelConvention,
} from '@conveyor/pipeline';

/**
 * Where the pusher copies blessed models when a run does not say: the bucket the local worker creates for
 * its pipeline root (`gs://${GOOGLE_CLOUD_PROJECT}-conveyor`, project `conveyor-local`). `serving_root` is an
 * operator setting: on Google Cloud set it in the worker's CONVEYOR_PIPELINE_SETTINGS.
 */
export const DEFAULT_SERVING_ROOT = 'gs://conveyor-local-conveyor/serving';

/** `node penguins.js <component>`: the image's WORKDIR holds the bundled app (apps/penguins/Dockerfile). */
function command(component: string): Arg[] {
  return ['node', 'penguins.js', component];
}

const exampleGen = defineComponent({
  name: 'example-gen',
  command: command('example-gen'),
  // One '--flag', value pair per line.
  // prettier-ignore
  args: [
    '--data_uri', inputParam('data_uri'),
    '--seed', inputParam('seed'),
    '--train_examples', outputArtifactPath('train_examples'),
    '--eval_examples', outputArtifactPath('eval_examples'),
    '--executor_output', executorOutputFile(),
  ],
  inputs: { parameters: { data_uri: 'STRING', seed: 'NUMBER_INTEGER' } },
  outputs: { artifacts: { train_examples: 'system.Dataset', eval_examples: 'system.Dataset' } },
});

const trainer = defineComponent({
  name: 'trainer',
  command: command('trainer'),
  // One '--flag', value pair per line.
  // prettier-ignore
  args: [
    '--train_examples', inputArtifactPath('train_examples'),
    '--num_epochs', inputParam('num_epochs'),
    '--learning_rate', inputParam('learning_rate'),
    '--seed', inputParam('seed'),
    '--model', outputArtifactPath('model'),
    '--executor_output', executorOutputFile(),
  ],
  inputs: {
    parameters: { num_epochs: 'NUMBER_INTEGER', learning_rate: 'NUMBER_DOUBLE', seed: 'NUMBER_INTEGER' },
    artifacts: { train_examples: 'system.Dataset' },
  },
  // Per-epoch loss/accuracy and the final values are the model artifact's metadata (executor output).
  outputs: { artifacts: { model: 'system.Model' } },
});

const evaluator = defineComponent({
  name: 'evaluator',
  command: command('evaluator'),
  // One '--flag', value pair per line.
  // prettier-ignore
  args: [
    '--model', inputArtifactPath('model'),
    '--eval_examples', inputArtifactPath('eval_examples'),
    '--serving_root', inputParam('serving_root'),
    '--threshold', inputParam('threshold'),
    '--metrics', outputArtifactPath('metrics'),
    '--blessed', outputParamFile('blessed'),
    '--executor_output', executorOutputFile(),
  ],
  inputs: {
    parameters: { serving_root: 'STRING', threshold: 'NUMBER_DOUBLE' },
    artifacts: { model: 'system.Model', eval_examples: 'system.Dataset' },
  },
  // `blessed` is the text "true"/"false" (STRING: the app writes it so in its executor output too).
  outputs: { parameters: { blessed: 'STRING' }, artifacts: { metrics: 'system.Metrics' } },
});

const pusher = defineComponent({
  name: 'pusher',
  command: command('pusher'),
  // One '--flag', value pair per line.
  // prettier-ignore
  args: [
    '--model', inputArtifactPath('model'),
    '--metrics', inputArtifactPath('metrics'),
    '--serving_root', inputParam('serving_root'),
    '--version', inputParam('model_version'),
    '--pushed_uri', outputParamFile('pushed_uri'),
    '--executor_output', executorOutputFile(),
  ],
  inputs: {
    parameters: { serving_root: 'STRING', model_version: 'STRING' },
    artifacts: { model: 'system.Model', metrics: 'system.Metrics' },
  },
  // The URI the model was pushed to. A run that pushes nothing has no pusher task, hence no output.
  outputs: { parameters: { pushed_uri: 'STRING' } },
});

/** Palmer Penguins: ExampleGen → Trainer → Evaluator → Pusher (the original system's pipeline, plus an evaluator). */
export const penguins = definePipeline(
  {
    name: 'penguins',
    description: 'Palmer Penguins classifier: ExampleGen → Trainer → Evaluator → Pusher.',
    // Run parameters (the hyperparameters) are what a trigger may set, within these bounds; operator
    // settings (setBy: 'operator') come from the worker configuration only (CONVEYOR_PIPELINE_SETTINGS).
    parameters: {
      // 1..1000: beyond a thousand epochs on 333 rows a run is a mistake or an attack on the budget.
      num_epochs: { type: 'NUMBER_INTEGER', default: 5, min: 1, max: 1000, description: 'Training epochs.' },
      // (0, 1]: Adam diverges long before 1, and 0 or less never learns.
      learning_rate: {
        type: 'NUMBER_DOUBLE',
        default: 0.01,
        exclusiveMin: 0,
        max: 1,
        description: 'Adam learning rate.',
      },
      // The app's generator (mulberry32) keeps 32 bits: a larger seed would silently alias a smaller one.
      seed: {
        type: 'NUMBER_INTEGER',
        default: 42,
        min: 0,
        max: 2 ** 32 - 1,
        description: 'Seed of the train/eval split and the weights.',
      },
      data_uri: {
        type: 'STRING',
        default: '',
        uri: true,
        setBy: 'operator',
        description: 'CSV of penguins (gs://…); empty for the penguins.json that vega-datasets ships.',
      },
      threshold: {
        type: 'NUMBER_DOUBLE',
        default: 0.9,
        min: 0,
        max: 1,
        setBy: 'operator',
        description: 'Eval accuracy a model needs to be blessed.',
      },
      serving_root: {
        type: 'STRING',
        default: DEFAULT_SERVING_ROOT,
        uri: true,
        setBy: 'operator',
        description: 'Blessed models go to <serving_root>/penguins/<model_version>/.',
      },
      // Where a model lands is the operator's: a trigger naming the served version would overwrite it.
      model_version: {
        type: 'STRING',
        default: '',
        setBy: 'operator',
        description:
          'Version folder of a pushed model; empty for a UTC timestamp. Pass the run id so a retried push overwrites its own copy.',
      },
      push: {
        type: 'BOOLEAN',
        default: true,
        description:
          'Push a blessed model to the serving root. Sweep trials run with false: the sweep promotes only its best model.',
      },
    },
  },
  (p) => {
    const gen = p.task('example-gen', exampleGen, { data_uri: p.param('data_uri'), seed: p.param('seed') });
    const train = p.task('trainer', trainer, {
      train_examples: gen.outputArtifact('train_examples'),
      num_epochs: p.param('num_epochs'),
      learning_rate: p.param('learning_rate'),
      seed: p.param('seed'),
    });
    const evaluate = p.task('evaluator', evaluator, {
      model: train.outputArtifact('model'),
      eval_examples: gen.outputArtifact('eval_examples'),
      serving_root: p.param('serving_root'),
      threshold: p.param('threshold'),
    });
    p.condition(
      eq(evaluate.outputParam('blessed'), 'true'),
      (p) => {
        p.condition(
          eq(p.param('push'), true),
          (p) => {
            p.task('pusher', pusher, {
              model: train.outputArtifact('model'),
              metrics: evaluate.outputArtifact('metrics'),
              serving_root: p.param('serving_root'),
              model_version: p.param('model_version'),
            });
          },
          { name: 'if-push' },
        );
      },
      { name: 'if-blessed' },
    );
  },
);

/** Where penguins' model is and how it is served (see `ModelConvention`). */
export const penguinsModel: ModelConvention = {
  artifact: { task: 'trainer', output: 'model' },
  blessed: { task: 'evaluator', output: 'blessed' },
  pushedUri: { task: 'pusher', output: 'pushed_uri' },
  pushParameter: 'push',
  servingRootParameter: 'serving_root',
  name: 'penguins',
  pointerMetric: 'accuracy',
};

/**
 * Where penguins records its training curves: the trainer's model artifact carries the Keras-named
 * per-epoch arrays as metadata, and `history.json` beside the model files.
 */
export const penguinsCurves: CurvesConvention = {
  artifact: { task: 'trainer', output: 'model' },
  keys: kerasCurveKeys,
  file: 'history.json',
};
