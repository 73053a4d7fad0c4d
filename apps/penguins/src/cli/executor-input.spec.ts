import { describe, expect, it } from 'vitest';
import { expandExecutorInput } from './executor-input.ts';
import { UsageError } from './flags.ts';

const executorInput = {
  inputs: {
    parameterValues: { num_epochs: 10, learning_rate: 0.01, blessed: true },
    artifacts: {
      train_examples: {
        artifacts: [
          { name: 'x', type: { schemaTitle: 'system.Dataset' }, uri: 'gs://b/root/eg/train_examples' },
        ],
      },
    },
  },
  outputs: {
    artifacts: { model: { artifacts: [{ uri: 'gs://b/root/trainer/model' }] } },
    parameters: { pushed_uri: { outputFile: '/tmp/outputs/pushed_uri' } },
    outputFile: '/tmp/outputs/executor_output.json',
  },
};

describe('expandExecutorInput', () => {
  it('turns parameters, artifact URIs (as mount paths) and output files into flags', () => {
    expect(expandExecutorInput(['--executor_input', JSON.stringify(executorInput)], '/gcs')).toEqual([
      '--num_epochs',
      '10',
      '--learning_rate',
      '0.01',
      '--blessed',
      'true',
      '--train_examples',
      '/gcs/b/root/eg/train_examples',
      '--model',
      '/gcs/b/root/trainer/model',
      '--pushed_uri',
      '/tmp/outputs/pushed_uri',
      '--executor_output',
      '/tmp/outputs/executor_output.json',
    ]);
  });

  it('lets explicit flags win and leaves argv without the flag alone', () => {
    const argv = expandExecutorInput(
      [`--executor_input=${JSON.stringify(executorInput)}`, '--num_epochs=3', '--seed', '1'],
      '/m',
    );
    expect(argv.filter((t) => t.startsWith('--num_epochs'))).toEqual(['--num_epochs=3']);
    expect(argv.slice(-2)).toEqual(['--seed', '1']);
    expect(expandExecutorInput(['--model', 'x'], '/gcs')).toEqual(['--model', 'x']);
  });

  it('rejects malformed JSON and artifacts without a uri, naming the flag', () => {
    expect(() => expandExecutorInput(['--executor_input', '{'], '/gcs')).toThrow(
      /--executor_input is not valid JSON/,
    );
    const noUri = { outputs: { artifacts: { model: { artifacts: [{}] } } } };
    expect(() => expandExecutorInput(['--executor_input', JSON.stringify(noUri)], '/gcs')).toThrow(
      UsageError,
    );
  });
});
