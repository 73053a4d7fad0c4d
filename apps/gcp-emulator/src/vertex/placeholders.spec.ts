import { describe, expect, it } from 'vitest';
import { PlaceholderError, resolveList, type PlaceholderContext } from './placeholders.ts';

const ctx: PlaceholderContext = {
  executorInput: { inputs: { parameterValues: { n: 3 } } },
  parameters: { n: 3, lr: 0.01, name: 'pen guin', flag: true, tags: ['a', 'b'], cfg: { k: 1 } },
  inputArtifacts: { data: { uri: 'gs://b/x/data', path: '/mnt/b/x/data', metadata: { rows: 5 } } },
  outputArtifacts: { model: { uri: 'gs://b/y/model', path: '/mnt/b/y/model', metadata: {} } },
  outputParameterFiles: { acc: '/tmp/out/acc' },
  outputFile: '/tmp/out/executor_output.json',
  runtime: { pipeline_job_name: 'job-1', pipeline_task_name: 'train' },
};

describe('KFP placeholders', () => {
  it('resolves parameters, artifacts, output files and runtime values, also inside larger strings', () => {
    expect(
      resolveList(
        [
          "--n={{$.inputs.parameters['n']}}",
          "{{$.inputs.parameters['lr']}}",
          "{{$.inputs.parameters['name']}}",
          "{{$.inputs.parameters['flag']}}",
          "{{$.inputs.parameters['tags']}}",
          '{{$.inputs.parameters["cfg"]}}',
          "{{$.inputs.artifacts['data'].uri}}",
          "{{$.inputs.artifacts['data'].path}}",
          "{{$.inputs.artifacts['data'].metadata}}",
          "{{$.outputs.artifacts['model'].path}}",
          "{{$.outputs.parameters['acc'].output_file}}",
          '{{$.outputs.output_file}}',
          '{{$.pipeline_job_name}}/{{$.pipeline_task_name}}',
        ],
        ctx,
      ),
    ).toEqual([
      '--n=3',
      '0.01',
      'pen guin',
      'true',
      '["a","b"]',
      '{"k":1}',
      'gs://b/x/data',
      '/mnt/b/x/data',
      '{"rows":5}',
      '/mnt/b/y/model',
      '/tmp/out/acc',
      '/tmp/out/executor_output.json',
      'job-1/train',
    ]);
  });

  it('{{$}} is the executor input JSON', () => {
    expect(JSON.parse(resolveList(['{{$}}'], ctx)[0] ?? '')).toEqual(ctx.executorInput);
  });

  it('expands Concat and IfPresent (Then, Else, absent Else, nested, object form)', () => {
    const args = [
      JSON.stringify({ Concat: ['--rows=', "{{$.inputs.parameters['n']}}", '/x'] }),
      JSON.stringify({
        IfPresent: { InputName: 'name', Then: ['--name', "{{$.inputs.parameters['name']}}"] },
      }),
      JSON.stringify({ IfPresent: { InputName: 'missing', Then: ['--missing'], Else: ['--no-missing'] } }),
      JSON.stringify({ IfPresent: { InputName: 'missing', Then: ['--gone'] } }),
      JSON.stringify({
        IfPresent: { InputName: 'data', Then: { Concat: ['--data=', "{{$.inputs.artifacts['data'].uri}}"] } },
      }),
      JSON.stringify({
        Concat: ['a', { IfPresent: { InputName: 'flag', Then: ['-', "{{$.inputs.parameters['flag']}}"] } }],
      }),
    ];
    expect(resolveList(args, ctx)).toEqual([
      '--rows=3/x',
      '--name',
      'pen guin',
      '--no-missing',
      '--data=gs://b/x/data',
      'a-true',
    ]);
  });

  it('fails naming a missing input or an unknown placeholder', () => {
    expect(() => resolveList(["{{$.inputs.parameters['nope']}}"], ctx)).toThrow(
      /input parameter "nope" has no value/,
    );
    expect(() => resolveList(['{{$.inputs.whatever}}'], ctx)).toThrow(PlaceholderError);
    expect(() => resolveList(['{{$.pipeline_unknown_thing}}'], ctx)).toThrow(/unsupported placeholder/);
  });

  it('leaves JSON that is not a structured placeholder alone', () => {
    expect(resolveList(['{"a": 1}', '{"Concat": broken'], ctx)).toEqual(['{"a": 1}', '{"Concat": broken']);
  });
});
