import { readFileSync } from 'node:fs';
import { compilePipeline, readPipelineSpec, typeParameters } from '@conveyor/pipeline';
import { loadPipelineSpecRoot, strictCheck } from '@conveyor/pipeline/testing';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVING_ROOT, penguins } from './penguins.ts';
import { getPipeline, listPipelines, UnknownPipelineError } from './registry.ts';

const IMAGE = `local/penguins@sha256:${'0'.repeat(64)}`;

describe('penguins pipeline', () => {
  const compiled = compilePipeline(penguins, { image: IMAGE });
  const { spec } = compiled;

  it('parses strictly as ml_pipelines.PipelineSpec', () => {
    const PipelineSpec = loadPipelineSpecRoot().lookupType('ml_pipelines.PipelineSpec');
    expect(strictCheck(PipelineSpec, JSON.parse(compiled.json))).toEqual([]);
  });

  it('runs ExampleGen → Trainer → Evaluator → Pusher on the given image', () => {
    const tasks = spec.root.dag.tasks;
    expect(Object.keys(tasks)).toEqual(['condition-1', 'evaluator', 'example-gen', 'trainer']);
    expect(tasks['example-gen']?.dependentTasks).toBeUndefined();
    expect(tasks['trainer']?.dependentTasks).toEqual(['example-gen']);
    expect(tasks['evaluator']?.dependentTasks).toEqual(['example-gen', 'trainer']);
    for (const executor of Object.values(spec.deploymentSpec.executors)) {
      expect(executor.container.image).toBe(IMAGE);
      expect(executor.container.command.slice(0, 2)).toEqual(['node', 'penguins.js']);
    }
  });

  it('pushes only when the evaluator blessed the model and the run asks for a push (nested conditions)', () => {
    const blessed = spec.root.dag.tasks['condition-1'];
    expect(blessed).toMatchObject({
      taskInfo: { name: 'if-blessed' },
      componentRef: { name: 'comp-condition-1' },
      dependentTasks: ['evaluator', 'trainer'],
      triggerPolicy: { condition: "inputs.parameter_values['pipelinechannel--evaluator-blessed'] == 'true'" },
    });
    const outer = spec.components['comp-condition-1'] as { dag: { tasks: Record<string, unknown> } };
    expect(Object.keys(outer.dag.tasks)).toEqual(['condition-2']);
    expect(outer.dag.tasks['condition-2']).toMatchObject({
      taskInfo: { name: 'if-push' },
      triggerPolicy: { condition: "inputs.parameter_values['pipelinechannel--push'] == true" },
    });
    const inner = spec.components['comp-condition-2'] as { dag: { tasks: Record<string, unknown> } };
    expect(Object.keys(inner.dag.tasks)).toEqual(['pusher']);
    expect(inner.dag.tasks['pusher']).toMatchObject({
      componentRef: { name: 'comp-pusher' },
      inputs: {
        artifacts: {
          model: { componentInputArtifact: 'pipelinechannel--trainer-model' },
          metrics: { componentInputArtifact: 'pipelinechannel--evaluator-metrics' },
        },
        parameters: {
          serving_root: { componentInputParameter: 'pipelinechannel--serving_root' },
          model_version: { componentInputParameter: 'pipelinechannel--model_version' },
        },
      },
    });
    expect(inner.dag.tasks['pusher']).not.toHaveProperty('dependentTasks');
  });

  it('passes the flags the penguins app reads', () => {
    const args = (name: string) => spec.deploymentSpec.executors[`exec-${name}`]?.container.args ?? [];
    const flags = (name: string) => args(name).filter((a) => a.startsWith('--'));
    expect(flags('example-gen')).toEqual([
      '--data_uri',
      '--seed',
      '--train_examples',
      '--eval_examples',
      '--executor_output',
    ]);
    expect(flags('trainer')).toEqual([
      '--train_examples',
      '--num_epochs',
      '--learning_rate',
      '--seed',
      '--model',
      '--executor_output',
    ]);
    expect(flags('evaluator')).toEqual([
      '--model',
      '--eval_examples',
      '--serving_root',
      '--threshold',
      '--metrics',
      '--blessed',
      '--executor_output',
    ]);
    expect(flags('pusher')).toEqual([
      '--model',
      '--metrics',
      '--serving_root',
      '--version',
      '--pushed_uri',
      '--executor_output',
    ]);
    expect(args('trainer')).toContain("{{$.inputs.parameters['num_epochs']}}");
    expect(args('evaluator')).toContain("{{$.outputs.parameters['blessed'].output_file}}");
    expect(args('pusher')).toContain("{{$.outputs.parameters['pushed_uri'].output_file}}");
  });

  it('declares num_epochs and learning_rate with the agreed defaults, typed by the one typing function', () => {
    const read = readPipelineSpec(compiled.json);
    expect(read.parameters.find((p) => p.name === 'num_epochs')).toMatchObject({
      type: 'NUMBER_INTEGER',
      default: 5,
    });
    expect(read.parameters.find((p) => p.name === 'learning_rate')).toMatchObject({
      type: 'NUMBER_DOUBLE',
      default: 0.01,
    });
    expect(typeParameters(read.parameters, { num_epochs: '3', learning_rate: '1e-2' })).toEqual({
      data_uri: '',
      learning_rate: 0.01,
      model_version: '',
      num_epochs: 3,
      push: true,
      seed: 42,
      serving_root: DEFAULT_SERVING_ROOT,
      threshold: 0.9,
    });
  });
});

describe('penguins golden spec', () => {
  // A change to the compiler or the pipeline shows up as a reviewable diff of this file.
  // Regenerate: npx conveyor compile penguins --image local/penguins:dev --out libs/pipelines/tests/penguins.golden.json
  const golden = new URL('../tests/penguins.golden.json', import.meta.url);

  it('compiles to exactly the committed bytes for image local/penguins:dev', () => {
    const { json } = compilePipeline(penguins, { image: 'local/penguins:dev' });
    expect(json).toBe(readFileSync(golden, 'utf8'));
  });
});

describe('registry', () => {
  it('lists and finds registered pipelines', () => {
    expect(listPipelines()).toEqual(['penguins']);
    expect(getPipeline('penguins')).toBe(penguins);
  });

  it('names the known pipelines for an unknown name', () => {
    expect(() => getPipeline('pengiuns')).toThrow(UnknownPipelineError);
    expect(() => getPipeline('pengiuns')).toThrow(
      "unknown pipeline 'pengiuns'; registered pipelines: penguins",
    );
  });
});
