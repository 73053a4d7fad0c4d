// kfp 2.17.3 control flow through the official PipelineServiceClient: dsl.If / Elif / Else (nested,
// dsl.OneOf), dsl.ParallelFor (parameters, structs, raw lists, artifacts, nested, parallelism) with
// dsl.Collected, nested pipelines, and the acceptance pipeline that combines them with an exit handler.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVertex, task, type Job, type VertexHarness } from './harness.ts';
import {
  allNamed,
  byUniqueName,
  childrenOf,
  kfpSpec,
  metadata,
  output,
  states,
  withoutCaching,
  runToEnd,
} from './kfp.ts';

/** Runs a fixture (caching off, as a rerun wants real runs) to its end. */
async function run(
  h: VertexHarness,
  fixture: string,
  parameterValues: Record<string, unknown> = {},
): Promise<Job> {
  return runToEnd(h, `kfp-${fixture}`, withoutCaching(await kfpSpec(fixture)), { parameterValues });
}

describe('Vertex emulator: kfp control flow', () => {
  let h: VertexHarness;
  beforeAll(async () => {
    h = await startVertex();
  });
  afterAll(async () => {
    await h?.close();
  });

  it(
    'dsl.If / Elif / Else and nested conditions: the false branches end NOT_TRIGGERED, dsl.OneOf takes the branch that ran',
    { timeout: 600_000 },
    async () => {
      const heads = await run(h, 'conditions', { seed: 2, threshold: 5 });
      expect(heads.state, heads.error?.message ?? '').toBe('PIPELINE_STATE_SUCCEEDED');
      expect(states(heads)).toEqual({
        'kfp-conditions': 'SUCCEEDED',
        flip: 'SUCCEEDED',
        'condition-branches-1': 'SUCCEEDED',
        'condition-branches-1.is-heads': 'SUCCEEDED',
        'condition-branches-1.is-heads.say-heads': 'SUCCEEDED',
        'condition-branches-1.is-big': 'NOT_TRIGGERED',
        'condition-branches-1.otherwise': 'NOT_TRIGGERED',
        'say-chosen': 'SUCCEEDED',
        'above-three': 'SUCCEEDED',
        'above-three.loud': 'SUCCEEDED',
        'above-three.loud.say-loud': 'SUCCEEDED',
        'above-three.relabelled': 'NOT_TRIGGERED',
        'below-three': 'NOT_TRIGGERED',
      });
      expect(output(task(heads, 'say-chosen'))).toBe('heads');
      // The condition group's record is the parent of the tasks inside it.
      const isHeads = byUniqueName(heads, 'condition-branches-1.is-heads');
      expect(childrenOf(heads, isHeads).map((t) => t.taskName)).toEqual(['say-heads']);
      expect(isHeads.execution?.state).toBe('COMPLETE');
      expect(byUniqueName(heads, 'below-three').execution?.state).toBe('CANCELLED');

      const big = await run(h, 'conditions', { seed: 1, threshold: 20, loud: false, label: 'y' });
      expect(big.state, big.error?.message ?? '').toBe('PIPELINE_STATE_SUCCEEDED');
      expect(states(big)).toMatchObject({
        'condition-branches-1.is-heads': 'NOT_TRIGGERED',
        'condition-branches-1.is-big': 'SUCCEEDED',
        'condition-branches-1.otherwise': 'NOT_TRIGGERED',
        'above-three.loud': 'NOT_TRIGGERED',
        'above-three.relabelled': 'SUCCEEDED',
      });
      expect(output(task(big, 'say-chosen'))).toBe('big');
    },
  );

  it(
    'a condition the emulator cannot evaluate fails its task, naming the expression (never runs the branch)',
    { timeout: 600_000 },
    async () => {
      const spec = withoutCaching(await kfpSpec('conditions'));
      const components = spec['components'] as Record<
        string,
        { dag?: { tasks: Record<string, { triggerPolicy?: { condition: string } }> } }
      >;
      const branches = components['comp-condition-branches-1']!.dag!.tasks;
      branches['condition-3']!.triggerPolicy = {
        condition: "isBig(inputs.parameter_values['pipelinechannel--threshold'])",
      };
      const job = await runToEnd(h, 'kfp-badcel', spec, { parameterValues: { seed: 2 } });
      expect(job.state).toBe('PIPELINE_STATE_FAILED');
      const isBig = byUniqueName(job, 'condition-branches-1.is-big');
      expect(isBig.state).toBe('FAILED');
      expect(isBig.error?.message).toContain('cannot evaluate triggerPolicy.condition "isBig(');
      expect(childrenOf(job, isBig)).toEqual([]);
      expect(states(job)['say-chosen']).toBe('CANCELLED');
    },
  );

  it(
    'dsl.ParallelFor over outputs, structs, raw lists and artifacts, nested, with dsl.Collected fan-in',
    { timeout: 600_000 },
    async () => {
      const job = await run(h, 'loops', { n: 4 });
      expect(job.state, job.error?.message ?? '').toBe('PIPELINE_STATE_SUCCEEDED');
      // Over an upstream output: one iteration per item, each with its own `square`.
      const squares = byUniqueName(job, 'squares');
      expect(metadata(squares, 'iteration_count')).toBe(4);
      expect(
        childrenOf(job, squares)
          .map((t) => t.taskName)
          .sort(),
      ).toEqual(['squares-iteration-0', 'squares-iteration-1', 'squares-iteration-2', 'squares-iteration-3']);
      expect(
        allNamed(job, 'square')
          .map((t) => output(t))
          .sort(),
      ).toEqual([1, 16, 4, 9]);
      expect(output(task(job, 'sum-of-squares'))).toBe(30);
      // parallelism=2: never more than two iterations of `squares` at once.
      const spans = childrenOf(job, squares).map((t) => [ms(t.startTime), ms(t.endTime)] as const);
      const overlapping = Math.max(...spans.map(([s]) => spans.filter(([a, b]) => a <= s && s < b).length));
      expect(overlapping).toBeLessThanOrEqual(2);
      // Over a parameter of structs, a field of each item; and a raw list nested in it.
      expect(
        allNamed(job, 'describe')
          .map((t) => output(t))
          .sort(),
      ).toEqual(['ann=10', 'bob=20']);
      expect(allNamed(job, 'inner')).toHaveLength(2);
      expect(
        allNamed(job, 'times-ten')
          .map((t) => output(t, 'out'))
          .sort(),
      ).toEqual([10, 10, 20, 20]);
      // Artifacts: a nested pipeline's dsl.Collected list, counted whole and iterated over.
      expect(allNamed(job, 'shard')).toHaveLength(3);
      expect(output(task(job, 'count-all'))).toBe(6);
      expect(metadata(byUniqueName(job, 'each-shard'), 'iteration_count')).toBe(3);
      expect(
        allNamed(job, 'count-rows')
          .map((t) => output(t))
          .sort(),
      ).toEqual([1, 2, 3]);
      expect(Object.values(states(job)).every((s) => s === 'SUCCEEDED')).toBe(true);
    },
  );

  it(
    "nested pipelines: outputs of inner tasks become the nested pipeline's outputs; parentTaskId nests",
    { timeout: 600_000 },
    async () => {
      const job = await run(h, 'nested', { x: 2 });
      expect(job.state, job.error?.message ?? '').toBe('PIPELINE_STATE_SUCCEEDED');
      expect(states(job)).toEqual({
        'kfp-nested': 'SUCCEEDED',
        middle: 'SUCCEEDED',
        'middle.inner': 'SUCCEEDED',
        'middle.inner.square': 'SUCCEEDED',
        'middle.inner.make-rows': 'SUCCEEDED',
        'middle.add-one': 'SUCCEEDED',
        inner: 'SUCCEEDED',
        'inner.square': 'SUCCEEDED',
        'inner.make-rows': 'SUCCEEDED',
        'count-rows': 'SUCCEEDED',
      });
      const middle = byUniqueName(job, 'middle');
      expect(middle.execution?.schemaTitle).toBe('system.DagExecution');
      expect(output(middle)).toBe(5);
      expect(String(byUniqueName(job, 'middle.inner').parentTaskId)).toBe(String(middle.taskId));
      const top = byUniqueName(job, 'inner');
      expect(output(top, 'squared')).toBe(25);
      expect(top.outputs?.['rows']?.artifacts?.[0]?.uri).toBe(
        byUniqueName(job, 'inner.make-rows').outputs?.['rows']?.artifacts?.[0]?.uri,
      );
      expect(output(task(job, 'count-rows'))).toBe(25);
    },
  );

  it(
    'the acceptance pipeline: lightweight components, If/Else, ParallelFor + Collected, a nested pipeline and an exit handler',
    { timeout: 600_000 },
    async () => {
      const job = await run(h, 'showcase', { n: 3, bar: 10 });
      expect(job.state, job.error?.message ?? '').toBe('PIPELINE_STATE_SUCCEEDED');
      expect(states(job)).toEqual({
        'kfp-showcase': 'SUCCEEDED',
        guarded: 'SUCCEEDED',
        'guarded.scored': 'SUCCEEDED',
        'guarded.scored.numbers': 'SUCCEEDED',
        'guarded.scored.each-number': 'SUCCEEDED',
        'guarded.scored.each-number.iteration-0': 'SUCCEEDED',
        'guarded.scored.each-number.iteration-0.square': 'SUCCEEDED',
        'guarded.scored.each-number.iteration-1': 'SUCCEEDED',
        'guarded.scored.each-number.iteration-1.square': 'SUCCEEDED',
        'guarded.scored.each-number.iteration-2': 'SUCCEEDED',
        'guarded.scored.each-number.iteration-2.square': 'SUCCEEDED',
        'guarded.scored.total': 'SUCCEEDED',
        'guarded.judge': 'SUCCEEDED',
        'guarded.condition-branches-2': 'SUCCEEDED',
        'guarded.condition-branches-2.passed': 'SUCCEEDED',
        'guarded.condition-branches-2.passed.celebrate': 'SUCCEEDED',
        'guarded.condition-branches-2.not-passed': 'NOT_TRIGGERED',
        verdict: 'SUCCEEDED',
      });
      expect(output(byUniqueName(job, 'guarded.scored'))).toBe(14);
      expect(output(task(job, 'verdict'))).toBe('guarded:SUCCEEDED:None:');
    },
  );
});

function ms(t: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return Number(t?.seconds ?? 0) * 1000 + Math.round((t?.nanos ?? 0) / 1e6);
}
