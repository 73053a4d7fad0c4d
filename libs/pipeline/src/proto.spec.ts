import { readFileSync } from 'node:fs';
import type protobuf from 'protobufjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPipelineSpecRoot, strictCheck } from '../tests/strict-proto.ts';
import { compilePipeline } from './compile.ts';
import { tinyPipeline } from './test-pipelines.ts';

// The penguins spec (libs/pipelines) is checked the same way in libs/pipelines/src/penguins.spec.ts.
describe('strict parse as ml_pipelines.PipelineSpec (kfp-pipeline-spec 2.17.3)', () => {
  let PipelineSpec: protobuf.Type;
  beforeAll(() => {
    PipelineSpec = loadPipelineSpecRoot().lookupType('ml_pipelines.PipelineSpec');
  });

  it('accepts our compiled spec', () => {
    const { json } = compilePipeline(tinyPipeline, { image: 'local/tools:dev' });
    expect(strictCheck(PipelineSpec, JSON.parse(json))).toEqual([]);
  });

  it('accepts the kfp 2.17.3 compiled fixture (the checker agrees with the reference compiler)', () => {
    const text = readFileSync(new URL('../tests/fixtures/kfp-2.17.3-pipeline.json', import.meta.url), 'utf8');
    expect(strictCheck(PipelineSpec, JSON.parse(text))).toEqual([]);
  });

  it('rejects unknown fields, wrong scalar types, bad enum names and two members of a oneof', () => {
    const spec = JSON.parse(compilePipeline(tinyPipeline, { image: 'local/tools:dev' }).json) as {
      root: {
        dag: { tasks: Record<string, Record<string, unknown>> };
        inputDefinitions: { parameters: Record<string, Record<string, unknown>> };
      };
      pipelineInfo: Record<string, unknown>;
    };
    spec.root.dag.tasks['make']!['dependentTask'] = ['x'];
    spec.root.inputDefinitions.parameters['rows']!['parameterType'] = 'INTEGER';
    spec.pipelineInfo['name'] = 7;
    const use = spec.root.dag.tasks['use'] as {
      inputs: { parameters: Record<string, Record<string, unknown>> };
    };
    use.inputs.parameters['rate']!['runtimeValue'] = { constant: 1 };
    expect(strictCheck(PipelineSpec, spec).sort()).toEqual(
      [
        'PipelineSpec.pipelineInfo.name: 7 is not a string',
        'PipelineSpec.root.dag.tasks[make].dependentTask: no such field in .ml_pipelines.PipelineTaskSpec',
        'PipelineSpec.root.inputDefinitions.parameters[rows].parameterType: "INTEGER" is not a ParameterTypeEnum',
        'PipelineSpec.root.dag.tasks[use].inputs.parameters[rate]: oneof kind has runtimeValue and componentInputParameter',
      ].sort(),
    );
  });
});
