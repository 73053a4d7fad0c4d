// Our control flow against kfp 2.17.3's: the pipelines of tests/fixtures/control_flow_kfp.py, compiled
// by kfp, and their twins in test-control-flow.ts, compiled by us, must agree on every control-flow
// construct: group DAG components and the tasks running them, `triggerPolicy` CEL, `pipelinechannel--`
// inputs at every level, iterators and parallelism, collected outputs, exit-handler wiring, and the
// interfaces of every component. Left out: caching (kfp caches by default, we do not), executors, and the
// names kfp numbers per task (`comp-echo-2` is our `comp-echo`).
import { readFileSync } from 'node:fs';
import type protobuf from 'protobufjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPipelineSpecRoot, strictCheck } from '../tests/strict-proto.ts';
import { compilePipeline } from './compile.ts';
import { declaredParameters, type Pipeline } from './pipeline.ts';
import { readPipelineSpec } from './read-spec.ts';
import { condOutput, condParam, exitHandler, loops, pushIfBlessed } from './test-control-flow.ts';

type Json = Record<string, unknown>;
interface SpecLike {
  root: { dag: { tasks: Record<string, Json> }; inputDefinitions?: unknown };
  components: Record<string, Json & { dag?: { tasks: Record<string, Json>; outputs?: unknown } }>;
}

const fixture = (name: string): SpecLike =>
  JSON.parse(
    readFileSync(new URL(`../tests/fixtures/kfp-control-flow/${name}.json`, import.meta.url), 'utf8'),
  ) as SpecLike;

/**
 * The control-flow projection of a spec. `renames` maps kfp's group keys to ours where kfp numbers
 * differently (it numbers a nested condition before its parent when an else follows).
 */
function project(spec: SpecLike, renames: Record<string, string> = {}): Json {
  const rename = (name: string) => renames[name] ?? name;
  const component = (ref: string) => {
    const c = spec.components[ref];
    // kfp gives every task its own container component: comp-echo, comp-echo-2, … are all `echo`.
    return c?.dag ? `comp-${rename(ref.slice('comp-'.length))}` : ref.replace(/-\d+$/, '');
  };
  const renameDeep = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value ?? null), (key, v: unknown) =>
      (key === 'producerTask' || key === 'producerSubtask') && typeof v === 'string' ? rename(v) : v,
    );
  const dag = (tasks: Record<string, Json>): Json =>
    Object.fromEntries(
      Object.entries(tasks).map(([name, task]) => {
        const ref = (task['componentRef'] as { name: string }).name;
        const c = spec.components[ref];
        const info = (task['taskInfo'] as { name: string }).name;
        return [
          rename(name),
          {
            taskInfo: rename(info),
            componentRef: component(ref),
            dependentTasks: ((task['dependentTasks'] as string[] | undefined) ?? []).map(rename).sort(),
            inputs: renameDeep(task['inputs']),
            triggerPolicy: task['triggerPolicy'] ?? null,
            parameterIterator: task['parameterIterator'] ?? null,
            iteratorPolicy: task['iteratorPolicy'] ?? null,
            ...(c?.dag
              ? {
                  inputDefinitions: c['inputDefinitions'] ?? null,
                  outputDefinitions: c['outputDefinitions'] ?? null,
                  outputs: renameDeep(c.dag.outputs),
                  dag: dag(c.dag.tasks),
                }
              : {}),
          },
        ];
      }),
    );
  const containers = Object.fromEntries(
    Object.entries(spec.components)
      .filter(([, c]) => !c.dag)
      .map(([ref, c]) => [component(ref), [c['inputDefinitions'] ?? null, c['outputDefinitions'] ?? null]]),
  );
  return { inputs: spec.root.inputDefinitions ?? null, dag: dag(spec.root.dag.tasks), containers };
}

const cases: [string, Pipeline, Record<string, string>][] = [
  ['cond-param', condParam, {}],
  ['cond-output', condOutput, { 'condition-2': 'condition-3', 'condition-3': 'condition-2' }],
  ['push-if-blessed', pushIfBlessed, {}],
  ['loops', loops, {}],
  ['exit-handler', exitHandler, {}],
];

describe('control flow compiles to the constructs kfp 2.17.3 emits', () => {
  let PipelineSpec: protobuf.Type;
  beforeAll(() => {
    PipelineSpec = loadPipelineSpecRoot().lookupType('ml_pipelines.PipelineSpec');
  });

  it.each(cases)('%s: same control-flow structure as kfp', (name, pipeline, renames) => {
    const ours = compilePipeline(pipeline).spec as unknown as SpecLike;
    expect(project(ours)).toEqual(project(fixture(name), renames));
  });

  it.each(cases)('%s: ours and kfp’s parse strictly as ml_pipelines.PipelineSpec', (name, pipeline) => {
    expect(strictCheck(PipelineSpec, JSON.parse(compilePipeline(pipeline).json))).toEqual([]);
    expect(strictCheck(PipelineSpec, fixture(name))).toEqual([]);
  });

  it.each(cases)('%s: readPipelineSpec reads ours and kfp’s alike', (name, pipeline) => {
    const ours = readPipelineSpec(compilePipeline(pipeline).json).parameters;
    expect(readPipelineSpec(fixture(name)).parameters).toEqual(ours);
    expect(declaredParameters(pipeline)).toEqual(ours);
  });

  it('spells out the constructs (a reader’s summary of what the comparison covers)', () => {
    const spec = compilePipeline(loops).spec as unknown as SpecLike;
    expect(Object.keys(spec.root.dag.tasks).sort()).toEqual([
      'condition-6',
      'for-loop-2',
      'for-loop-3',
      'for-loop-5',
      'make-list',
      'total',
    ]);
    expect(spec.root.dag.tasks['for-loop-2']).toMatchObject({
      parameterIterator: { itemInput: 'pipelinechannel--loop-item-param-1', items: { raw: '[1, 2]' } },
      iteratorPolicy: { parallelismLimit: 1 },
    });
    expect(spec.root.dag.tasks['total']).toMatchObject({
      dependentTasks: ['for-loop-3'],
      inputs: {
        parameters: {
          ns: {
            taskOutputParameter: {
              producerTask: 'for-loop-3',
              outputParameterKey: 'pipelinechannel--double-out',
            },
          },
        },
      },
    });
    const exit = compilePipeline(exitHandler).spec as unknown as SpecLike;
    expect(exit.root.dag.tasks['report']).toMatchObject({
      dependentTasks: ['exit-handler-1'],
      triggerPolicy: { strategy: 'ALL_UPSTREAM_TASKS_COMPLETED' },
      inputs: { parameters: { status: { taskFinalStatus: { producerTask: 'exit-handler-1' } } } },
    });
  });
});
