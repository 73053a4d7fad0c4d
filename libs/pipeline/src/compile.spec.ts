import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { compilePipeline, SDK_VERSION } from './compile.ts';
import { defineComponent } from './component.ts';
import { PipelineCompileError, PipelineDefinitionError } from './errors.ts';
import { definePipeline } from './pipeline.ts';
import { inputParam, outputArtifactPath, outputParamFile } from './placeholders.ts';
import { makeData, tinyPipeline } from './test-pipelines.ts';

const IMAGE = 'local/tools:dev';

describe('compilePipeline', () => {
  it('writes a 2.1.0 spec with root parameters, components, executors and wired tasks', () => {
    const { spec } = compilePipeline(tinyPipeline, { image: IMAGE });
    expect(spec.schemaVersion).toBe('2.1.0');
    expect(spec.sdkVersion).toBe(SDK_VERSION);
    expect(spec.pipelineInfo).toEqual({ name: 'tiny', description: 'Two tasks for tests.' });
    expect(spec.root.inputDefinitions?.parameters).toEqual({
      label: { parameterType: 'STRING' },
      rate: { parameterType: 'NUMBER_DOUBLE', defaultValue: 0.5, isOptional: true },
      rows: {
        parameterType: 'NUMBER_INTEGER',
        defaultValue: 10,
        isOptional: true,
        description: 'Rows to make.',
      },
    });
    expect(spec.components['comp-make-data']).toEqual({
      executorLabel: 'exec-make-data',
      inputDefinitions: { parameters: { rows: { parameterType: 'NUMBER_INTEGER' } } },
      outputDefinitions: {
        parameters: { count: { parameterType: 'NUMBER_INTEGER' } },
        artifacts: { data: { artifactType: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' } } },
      },
    });
    expect(spec.deploymentSpec.executors['exec-make-data']?.container).toEqual({
      image: IMAGE,
      command: ['node', 'tool.js', 'make-data'],
      args: [
        '--rows',
        "{{$.inputs.parameters['rows']}}",
        '--out',
        "{{$.outputs.artifacts['data'].path}}",
        '--count',
        "{{$.outputs.parameters['count'].output_file}}",
      ],
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    });
    const use = spec.deploymentSpec.executors['exec-use-data']?.container;
    expect(use?.image).toBe(`example.com/tools/use@sha256:${'a'.repeat(64)}`);
    expect(use?.args).toContain('{{$}}');
    expect(use?.args).toContain('{{$.outputs.output_file}}');
    expect(use?.resources).toEqual({ resourceCpuLimit: '1', resourceMemoryLimit: '2G' });
    expect(spec.root.dag.tasks['make']).toEqual({
      taskInfo: { name: 'make' },
      componentRef: { name: 'comp-make-data' },
      inputs: { parameters: { rows: { componentInputParameter: 'rows' } } },
      cachingOptions: {},
    });
    expect(spec.root.dag.tasks['use']).toEqual({
      taskInfo: { name: 'use' },
      componentRef: { name: 'comp-use-data' },
      dependentTasks: ['make'],
      inputs: {
        parameters: {
          count: { taskOutputParameter: { producerTask: 'make', outputParameterKey: 'count' } },
          flag: { runtimeValue: { constant: true } },
          label: { componentInputParameter: 'label' },
          rate: { componentInputParameter: 'rate' },
        },
        artifacts: { data: { taskOutputArtifact: { producerTask: 'make', outputArtifactKey: 'data' } } },
      },
      cachingOptions: { enableCache: true },
      retryPolicy: { maxRetryCount: 2, backoffDuration: '30s', backoffFactor: 2, backoffMaxDuration: '300s' },
    });
  });

  it('is deterministic: same bytes, sorted keys, sha256 of exactly those bytes', () => {
    const a = compilePipeline(tinyPipeline, { image: IMAGE });
    const b = compilePipeline(tinyPipeline, { image: IMAGE });
    expect(a.json).toBe(b.json);
    expect(a.sha256).toBe(b.sha256);
    expect(a.sha256).toBe(createHash('sha256').update(a.json, 'utf8').digest('hex'));
    expect(a.json.endsWith('}\n')).toBe(true);
    const topKeys = Object.keys(JSON.parse(a.json) as object);
    expect(topKeys).toEqual([...topKeys].sort());
    expect(compilePipeline(tinyPipeline, { image: 'local/tools:other' }).sha256).not.toBe(a.sha256);
  });

  it('rejects placeholders naming undeclared inputs or outputs, including hand-written ones', () => {
    const bad = defineComponent({
      name: 'bad',
      command: ['run'],
      args: [
        inputParam('nope'),
        outputArtifactPath('missing'),
        outputParamFile('x'),
        "{{$.inputs.artifacts['ghost'].path}}",
      ],
      inputs: { parameters: { n: 'NUMBER_INTEGER' } },
    });
    const pipeline = definePipeline({ name: 'bad-pipe', parameters: {} }, (p) => {
      p.task('bad', bad, { n: 1 });
    });
    let error: unknown;
    try {
      compilePipeline(pipeline, { image: IMAGE });
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(PipelineCompileError);
    const problems = (error as PipelineCompileError).problems;
    expect(problems).toEqual([
      "component 'bad': placeholder {{$.inputs.parameters['nope']}} references input parameter 'nope', which the component does not declare",
      "component 'bad': placeholder {{$.outputs.artifacts['missing'].path}} references output artifact 'missing', which the component does not declare",
      "component 'bad': placeholder {{$.outputs.parameters['x'].output_file}} references output parameter 'x', which the component does not declare",
      "component 'bad': placeholder {{$.inputs.artifacts['ghost'].path}} references input artifact 'ghost', which the component does not declare",
    ]);
    expect((error as Error).message).toMatch(/^cannot compile pipeline 'bad-pipe': /);
  });

  it('checks parameter types of constants, runtime parameters, task outputs and defaults', () => {
    const consumer = defineComponent({
      name: 'consumer',
      command: ['run', inputParam('n'), inputParam('s')],
      inputs: { parameters: { n: 'NUMBER_INTEGER', s: 'STRING' }, artifacts: { m: 'system.Model' } },
    });
    const pipeline = definePipeline(
      {
        name: 'typed',
        parameters: {
          rate: { type: 'NUMBER_DOUBLE' },
          // Deliberately wrong default, as a JavaScript caller could write it.
          epochs: { type: 'NUMBER_INTEGER', default: 2.5 },
        },
      },
      (p) => {
        const make = p.task('make', makeData, { rows: 3.5 });
        // Deliberately mis-wired through casts, as JavaScript callers could.
        p.task('consume', consumer, {
          n: p.param('rate') as never,
          s: make.outputParam('count') as never,
          m: make.outputArtifact('data') as never,
        });
      },
    );
    expect(() => compilePipeline(pipeline, { image: IMAGE })).toThrow(PipelineCompileError);
    try {
      compilePipeline(pipeline, { image: IMAGE });
    } catch (e: unknown) {
      expect((e as PipelineCompileError).problems).toEqual([
        "runtime parameter 'epochs' (NUMBER_INTEGER) has default 2.5 of another type",
        "task 'make': input 'rows' is NUMBER_INTEGER but the constant 3.5 is not",
        "task 'consume': input 'n' is NUMBER_INTEGER but runtime parameter 'rate' is NUMBER_DOUBLE",
        "task 'consume': input 's' is STRING but output 'make.count' is NUMBER_INTEGER",
        "task 'consume': input 'm' is system.Model but output 'make.data' is system.Dataset",
      ]);
    }
  });

  it('reports unset and unknown inputs and a missing image', () => {
    const pipeline = definePipeline({ name: 'unset', parameters: {} }, (p) => {
      p.task('make', makeData, { extra: 1 } as never);
    });
    expect(() => compilePipeline(pipeline)).toThrow(
      "cannot compile pipeline 'unset': task 'make': component 'make-data' has no input 'extra'; " +
        "task 'make': input parameter 'rows' is not set; " +
        "component 'make-data' has no image and no compile-time image was given",
    );
  });

  it('rejects an image reference Docker would reject', () => {
    expect(() => compilePipeline(tinyPipeline, { image: 'Local/Tools' })).toThrow(
      "cannot compile pipeline 'tiny': component 'make-data': invalid image reference 'Local/Tools': repository name component 'Local' must be lowercase",
    );
  });

  it('rejects bad names and duplicate tasks when the pipeline is defined', () => {
    expect(() => defineComponent({ name: 'Bad_Name', command: [] })).toThrow(PipelineDefinitionError);
    expect(() =>
      definePipeline({ name: 'dup', parameters: {} }, (p) => {
        p.task('a', makeData, { rows: 1 });
        p.task('a', makeData, { rows: 2 });
      }),
    ).toThrow("pipeline 'dup' has two tasks named 'a'");
    expect(() =>
      definePipeline({ name: 'p', parameters: {} }, (p) => {
        p.param('nope' as never);
      }),
    ).toThrow("pipeline 'p' has no runtime parameter 'nope'");
  });

  it('adds explicit `after` dependencies and shares one component between tasks', () => {
    const pipeline = definePipeline({ name: 'twice', parameters: {} }, (p) => {
      const first = p.task('first', makeData, { rows: 1 });
      p.task('second', makeData, { rows: 2 }, { after: [first] });
    });
    const { spec } = compilePipeline(pipeline, { image: IMAGE });
    expect(Object.keys(spec.components)).toEqual(['comp-make-data']);
    expect(spec.root.dag.tasks['second']?.dependentTasks).toEqual(['first']);
    expect(spec.root.dag.tasks['second']?.inputs?.parameters?.['rows']).toEqual({
      runtimeValue: { constant: 2 },
    });
  });
});
