// Small pipelines for this library's own tests (not exported from index.ts).
import { defineComponent } from './component.ts';
import { definePipeline } from './pipeline.ts';
import {
  executorInput,
  executorOutputFile,
  inputArtifactPath,
  inputParam,
  outputArtifactPath,
  outputParamFile,
} from './placeholders.ts';

/** A component producing a Dataset and a count. */
export const makeData = defineComponent({
  name: 'make-data',
  command: ['node', 'tool.js', 'make-data'],
  args: [
    '--rows',
    inputParam('rows'),
    '--out',
    outputArtifactPath('data'),
    '--count',
    outputParamFile('count'),
  ],
  inputs: { parameters: { rows: 'NUMBER_INTEGER' } },
  outputs: { parameters: { count: 'NUMBER_INTEGER' }, artifacts: { data: 'system.Dataset' } },
  env: { B: '2', A: '1' },
});

/** A component consuming the Dataset and the count. */
export const useData = defineComponent({
  name: 'use-data',
  image: 'example.com/tools/use@sha256:' + 'a'.repeat(64),
  command: ['node', 'tool.js', 'use-data'],
  // One '--flag', value pair per line.
  // prettier-ignore
  args: [
    '--data', inputArtifactPath('data'),
    '--count', inputParam('count'),
    '--rate', inputParam('rate'),
    '--flag', inputParam('flag'),
    '--label', inputParam('label'),
    '--metrics', outputArtifactPath('metrics'),
    '--executor_input', executorInput(),
    '--executor_output', executorOutputFile(),
  ],
  inputs: {
    parameters: { count: 'NUMBER_INTEGER', rate: 'NUMBER_DOUBLE', flag: 'BOOLEAN', label: 'STRING' },
    artifacts: { data: 'system.Dataset' },
  },
  outputs: { artifacts: { metrics: 'system.ClassificationMetrics' } },
  resources: { cpuLimit: '1', memoryLimit: '2G' },
});

/** Two tasks wired by an artifact and an output parameter; one constant input; a retry policy. */
export const tinyPipeline = definePipeline(
  {
    name: 'tiny',
    description: 'Two tasks for tests.',
    parameters: {
      rows: { type: 'NUMBER_INTEGER', default: 10, description: 'Rows to make.' },
      rate: { type: 'NUMBER_DOUBLE', default: 0.5 },
      label: { type: 'STRING' },
    },
  },
  (p) => {
    const make = p.task('make', makeData, { rows: p.param('rows') });
    p.task(
      'use',
      useData,
      {
        data: make.outputArtifact('data'),
        count: make.outputParam('count'),
        rate: p.param('rate'),
        flag: true,
        label: p.param('label'),
      },
      {
        retry: { maxRetryCount: 2, backoffSeconds: 30, backoffFactor: 2, backoffMaxSeconds: 300 },
        cache: true,
      },
    );
  },
);
