import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPipelineSpecRoot, strictCheck } from '../tests/strict-proto.ts';
import { compilePipeline } from './compile.ts';
import { InvalidPipelineSpecError } from './errors.ts';
import { readPipelineSpec, RuntimeParameterSchema } from './read-spec.ts';
import { toRuntimeConfig } from './runtime-config.ts';
import { declaredParameters } from './pipeline.ts';
import { tinyPipeline } from './test-pipelines.ts';
import { typeParameters } from './typing.ts';

const fixture = (name: string) => readFileSync(new URL(`../tests/fixtures/${name}`, import.meta.url), 'utf8');
const ROOT = 'gs://bucket/root';

describe('readPipelineSpec', () => {
  it('reads our compiled spec', () => {
    const read = readPipelineSpec(compilePipeline(tinyPipeline, { image: 'local/t:dev' }).json);
    expect(read.schemaVersion).toBe('2.1.0');
    expect(read.name).toBe('tiny');
    expect(read.sdkVersion).toBe('conveyor-0.1.0');
    expect(read.parameters).toEqual([
      { name: 'label', type: 'STRING', optional: false },
      { name: 'rate', type: 'NUMBER_DOUBLE', default: 0.5, optional: true },
      { name: 'rows', type: 'NUMBER_INTEGER', default: 10, optional: true, description: 'Rows to make.' },
    ]);
    expect(declaredParameters(tinyPipeline)).toEqual(read.parameters);
    const typed = typeParameters(read.parameters, { label: 'x', rows: '3' });
    expect(toRuntimeConfig(read, typed, { gcsOutputDirectory: ROOT })).toEqual({
      gcsOutputDirectory: ROOT,
      parameterValues: { label: 'x', rate: 0.5, rows: 3 },
    });
  });

  it('reads a spec compiled by kfp 2.17.3', () => {
    const read = readPipelineSpec(fixture('kfp-2.17.3-pipeline.json'));
    expect(read.schemaVersion).toBe('2.1.0');
    expect(read.name).toBe('kfp-tiny');
    expect(read.sdkVersion).toBe('kfp-2.17.3');
    expect(read.parameters).toEqual([
      { name: 'label', type: 'STRING', default: 'tiny', optional: true },
      { name: 'learning_rate', type: 'NUMBER_DOUBLE', default: 0.01, optional: true },
      { name: 'note', type: 'STRING', default: '', optional: true },
      { name: 'rows', type: 'NUMBER_INTEGER', default: 10, optional: true },
      { name: 'run_tag', type: 'STRING', optional: false },
      { name: 'shuffle', type: 'BOOLEAN', default: true, optional: true },
    ]);
    expect(read.parameters.map((p) => RuntimeParameterSchema.parse(p))).toEqual(read.parameters);
    const typed = typeParameters(read.parameters, { run_tag: 'a', rows: ' 7 ', shuffle: 'False' });
    expect(toRuntimeConfig(read, typed, { gcsOutputDirectory: ROOT })).toEqual({
      gcsOutputDirectory: ROOT,
      parameterValues: {
        label: 'tiny',
        learning_rate: 0.01,
        note: '',
        rows: 7,
        run_tag: 'a',
        shuffle: false,
      },
    });
  });

  it('reads a TFX 2.0.0 PipelineJob file: INT/DOUBLE types, defaults from its runtimeConfig, legacy runtimeConfig out', () => {
    const text = fixture('tfx-2.0.0-pipeline-job.json');
    const read = readPipelineSpec(text);
    expect(read.schemaVersion).toBe('2.0.0');
    expect(read.name).toBe('penguin-vertex-pipelines');
    expect(read.displayName).toBe('penguin-vertex-pipelines');
    expect(read.sdkVersion).toBe('tfx-1.8.0');
    expect(read.parameters).toEqual([
      { name: 'learning_rate', type: 'NUMBER_DOUBLE', default: 0.005, optional: true },
      { name: 'num_epochs', type: 'NUMBER_INTEGER', default: 5, optional: true },
    ]);
    expect(Object.keys(read.pipelineSpec['components'] as object)).toEqual([
      'CsvExampleGen',
      'Pusher',
      'Trainer',
    ]);
    const typed = typeParameters(read.parameters, { num_epochs: '3', learning_rate: '1e-2' });
    expect(toRuntimeConfig(read, typed, { gcsOutputDirectory: ROOT })).toEqual({
      gcsOutputDirectory: ROOT,
      parameters: { learning_rate: { doubleValue: 0.01 }, num_epochs: { intValue: 3 } },
    });
  });

  it('toRuntimeConfig refuses values that a 2.0.0 spec cannot hold', () => {
    const read = readPipelineSpec(fixture('tfx-2.0.0-pipeline-job.json'));
    expect(() => toRuntimeConfig(read, { num_epochs: 'x' }, { gcsOutputDirectory: ROOT })).toThrow(
      `parameter 'num_epochs' (NUMBER_INTEGER) cannot hold "x" in a 2.0.0 spec`,
    );
    expect(() => toRuntimeConfig(read, { other: 1 }, { gcsOutputDirectory: ROOT })).toThrow(
      "parameter 'other' (undeclared) cannot hold 1 in a 2.0.0 spec",
    );
  });

  it('reads a bare 2.0.0 PipelineSpec: parameters without defaults are required', () => {
    const job = JSON.parse(fixture('tfx-2.0.0-pipeline-job.json')) as { pipelineSpec: unknown };
    const read = readPipelineSpec(job.pipelineSpec);
    expect(read.displayName).toBeUndefined();
    expect(read.parameters).toEqual([
      { name: 'learning_rate', type: 'NUMBER_DOUBLE', optional: false },
      { name: 'num_epochs', type: 'NUMBER_INTEGER', optional: false },
    ]);
    expect(() => typeParameters(read.parameters, {})).toThrow(
      'invalid parameters: learning_rate: required parameter (NUMBER_DOUBLE) is missing; num_epochs: required parameter (NUMBER_INTEGER) is missing',
    );
  });

  it('the hand-written TFX fixture parses strictly as ml_pipelines.PipelineJob and its spec as PipelineSpec', () => {
    const root = loadPipelineSpecRoot();
    const job = JSON.parse(fixture('tfx-2.0.0-pipeline-job.json')) as { pipelineSpec: unknown };
    expect(strictCheck(root.lookupType('ml_pipelines.PipelineJob'), job)).toEqual([]);
    expect(strictCheck(root.lookupType('ml_pipelines.PipelineSpec'), job.pipelineSpec)).toEqual([]);
  });

  it('reads LIST and STRUCT parameters; toRuntimeConfig sends their values as JSON', () => {
    const spec = {
      schemaVersion: '2.1.0',
      pipelineInfo: { name: 'lists' },
      root: {
        inputDefinitions: {
          parameters: {
            nums: { parameterType: 'LIST', defaultValue: [1.0, 2.0], isOptional: true },
            config: { parameterType: 'STRUCT' },
          },
        },
      },
    };
    const read = readPipelineSpec(spec);
    expect(read.parameters).toEqual([
      { name: 'config', type: 'STRUCT', optional: false },
      { name: 'nums', type: 'LIST', default: '[1,2]', optional: true },
    ]);
    const typed = typeParameters(read.parameters, { config: '{"b": 1, "a": "x"}' });
    expect(typed).toEqual({ config: '{"a":"x","b":1}', nums: '[1,2]' });
    expect(toRuntimeConfig(read, typed, { gcsOutputDirectory: ROOT })).toEqual({
      gcsOutputDirectory: ROOT,
      parameterValues: { config: { a: 'x', b: 1 }, nums: [1, 2] },
    });
    const job = { pipelineSpec: spec, runtimeConfig: { parameterValues: { config: { k: true } } } };
    expect(readPipelineSpec(job).parameters[0]).toEqual({
      name: 'config',
      type: 'STRUCT',
      default: '{"k":true}',
      optional: true,
    });
    const badDefault = structuredClone(spec);
    badDefault.root.inputDefinitions.parameters.nums.defaultValue = 3 as never;
    expect(() => readPipelineSpec(badDefault)).toThrow(
      "runtime parameter 'nums' has a default that is not a LIST",
    );
  });

  it('rejects what is not a spec, naming the problem', () => {
    expect(() => readPipelineSpec('{nope')).toThrow(InvalidPipelineSpecError);
    expect(() => readPipelineSpec('{nope')).toThrow(/^pipeline spec is not JSON: /);
    expect(() => readPipelineSpec({ schemaVersion: '2.1.0', root: {} })).toThrow(
      'invalid pipeline spec: pipelineInfo: Invalid input: expected object, received undefined',
    );
    expect(() => readPipelineSpec({ schemaVersion: '3.0.0', pipelineInfo: { name: 'x' }, root: {} })).toThrow(
      "unsupported schemaVersion '3.0.0' (supported: 2.0.0, 2.1.0)",
    );
    const badType = { parameters: { n: { parameterType: 'TASK_FINAL_STATUS' } } };
    expect(() =>
      readPipelineSpec({
        schemaVersion: '2.1.0',
        pipelineInfo: { name: 'x' },
        root: { inputDefinitions: badType },
      }),
    ).toThrow(
      "runtime parameter 'n' has type TASK_FINAL_STATUS; supported: NUMBER_INTEGER, NUMBER_DOUBLE, STRING, BOOLEAN, LIST, STRUCT",
    );
    expect(() => readPipelineSpec({ pipelineSpec: 'x' })).toThrow(
      /^invalid PipelineJob file: pipelineSpec: /,
    );
  });
});
