import { describe, expect, it } from 'vitest';
import { resolveRuntimeParameters } from './params.ts';
import { readPipelineSpec } from './spec.ts';
import type { JsonObject } from './struct.ts';

function spec(schemaVersion: string, parameters: JsonObject): JsonObject {
  return {
    schemaVersion,
    pipelineInfo: { name: 'p' },
    root: { inputDefinitions: { parameters }, dag: { tasks: {} } },
    components: {},
    deploymentSpec: { executors: {} },
  };
}

const v21 = readPipelineSpec(
  spec('2.1.0', {
    epochs: { parameterType: 'NUMBER_INTEGER', defaultValue: 5 },
    lr: { parameterType: 'NUMBER_DOUBLE' },
    name: { parameterType: 'STRING', isOptional: true },
    on: { parameterType: 'BOOLEAN', defaultValue: false },
    tags: { parameterType: 'LIST', defaultValue: [] },
    cfg: { parameterType: 'STRUCT', isOptional: true },
  }),
);
const v20 = readPipelineSpec(
  spec('2.0.0', {
    epochs: { type: 'INT', defaultValue: { intValue: '5' } },
    lr: { type: 'DOUBLE' },
    name: { type: 'STRING' },
  }),
);

describe('runtime parameter typing (2.1.0 parameterValues)', () => {
  it('accepts well-typed values and applies defaults', () => {
    expect(
      resolveRuntimeParameters(v21, {
        parameterValues: {
          lr: { numberValue: 0.01 },
          tags: { listValue: { values: [{ stringValue: 'a' }] } },
        },
      }),
    ).toEqual({
      epochs: 5,
      lr: 0.01,
      on: false,
      tags: ['a'],
    });
  });

  it.each([
    [
      { epochs: { stringValue: '3' }, lr: { numberValue: 1 } },
      '"epochs" must be of type NUMBER_INTEGER, got the string "3"',
    ],
    [
      { epochs: { numberValue: 3.5 }, lr: { numberValue: 1 } },
      '"epochs" must be of type NUMBER_INTEGER, got the number 3.5',
    ],
    [{ lr: { numberValue: Number.NaN } }, '"lr" must be of type NUMBER_DOUBLE'],
    [{ lr: { numberValue: 1 }, on: { stringValue: 'true' } }, '"on" must be of type BOOLEAN'],
    [
      { lr: { numberValue: 1 }, cfg: { listValue: { values: [] } } },
      '"cfg" must be of type STRUCT, got a list',
    ],
    [{}, '"lr" is required'],
    [
      { lr: { numberValue: 1 }, batch: { numberValue: 1 } },
      '"batch" is not declared by the pipeline (declared: epochs, lr, name, on, tags, cfg)',
    ],
  ])('rejects %j', (parameterValues, message) => {
    expect(() => resolveRuntimeParameters(v21, { parameterValues })).toThrow(message);
  });
});

describe('runtime parameter typing (2.0.0 parameters)', () => {
  it('reads typed Values and typed defaults', () => {
    expect(
      resolveRuntimeParameters(v20, { parameters: { lr: { doubleValue: 0.1 }, name: { stringValue: 'x' } } }),
    ).toEqual({
      epochs: 5,
      lr: 0.1,
      name: 'x',
    });
    expect(
      resolveRuntimeParameters(v20, {
        parameters: {
          epochs: { intValue: '7', value: 'intValue' },
          lr: { doubleValue: 1 },
          name: { stringValue: '' },
        },
      })['epochs'],
    ).toBe(7);
  });

  it('rejects the wrong member and parameterValues', () => {
    expect(() =>
      resolveRuntimeParameters(v20, {
        parameters: { epochs: { doubleValue: 3 }, lr: { doubleValue: 1 }, name: { stringValue: '' } },
      }),
    ).toThrow('"epochs" must be of type NUMBER_INTEGER, got a doubleValue');
    expect(() => resolveRuntimeParameters(v20, { parameterValues: { lr: { numberValue: 1 } } })).toThrow(
      /not supported for pipelineSpec schemaVersion 2.0.0/,
    );
  });
});

describe('spec reading', () => {
  it('rejects unknown components, executors and dependencies by name', () => {
    const base = spec('2.1.0', {});
    const withTask = (task: JsonObject, components: JsonObject = {}): JsonObject => ({
      ...base,
      root: { dag: { tasks: { t: task } } },
      components,
    });
    expect(() => readPipelineSpec(withTask({ componentRef: { name: 'comp-x' } }))).toThrow(
      'unknown component "comp-x"',
    );
    expect(() =>
      readPipelineSpec(withTask({ componentRef: { name: 'c' } }, { c: { executorLabel: 'exec-c' } })),
    ).toThrow('unknown executor "exec-c"');
    expect(() =>
      readPipelineSpec(withTask({ componentRef: { name: 'c' }, dependentTasks: ['ghost'] }, { c: {} })),
    ).toThrow('unknown task "ghost"');
  });

  it('rejects a dependency cycle naming it', () => {
    expect(() =>
      readPipelineSpec({
        ...spec('2.1.0', {}),
        root: {
          dag: {
            tasks: {
              a: { componentRef: { name: 'c' }, dependentTasks: ['b'] },
              b: { componentRef: { name: 'c' }, dependentTasks: ['a'] },
            },
          },
        },
        components: { c: {} },
      }),
    ).toThrow('cycle: a -> b -> a');
  });

  it('adds data producers to a task’s dependencies and reads retry policies', () => {
    const read = readPipelineSpec({
      ...spec('2.1.0', {}),
      root: {
        dag: {
          tasks: {
            a: { componentRef: { name: 'c' } },
            b: {
              componentRef: { name: 'c' },
              retryPolicy: { maxRetryCount: 2, backoffDuration: '1.5s', backoffFactor: 3 },
              inputs: {
                artifacts: { x: { taskOutputArtifact: { producerTask: 'a', outputArtifactKey: 'o' } } },
              },
            },
          },
        },
      },
      components: { c: {} },
    });
    const b = read.root.dag.tasks.find((t) => t.key === 'b');
    expect(b?.dependsOn).toEqual(['a']);
    expect(b?.retry).toEqual({
      maxRetryCount: 2,
      backoffMs: 1500,
      backoffFactor: 3,
      backoffMaxMs: 3_600_000,
    });
  });
});
