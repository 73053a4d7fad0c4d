// The DSL's control flow, compiled and run on the Vertex AI emulator through the official client: the
// pipelines compared with kfp's in src/control-flow-kfp.spec.ts run with shell tasks (alpine → local
// sh), and the task details show what ran: NOT_TRIGGERED branches, loop fan-out, collected values,
// exit tasks that run after a failure.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { defineComponent } from '../src/component.ts';
import { definePipeline } from '../src/pipeline.ts';
import { taskFinalStatus } from '../src/refs.ts';
import {
  condOutput,
  condParam,
  exitHandler,
  loops,
  pushIfBlessed,
  report,
  SHELL_IMAGE,
} from '../src/test-control-flow.ts';
import { param, startVertex, stateOf, statesOf, task, tasksNamed, type Job, type Vertex } from './vertex.ts';

const fail = defineComponent({ name: 'fail', image: SHELL_IMAGE, command: ['sh', '-c', 'exit 3'] });

/** An exit handler whose body fails: the exit task runs anyway and is told so. */
const exitOnFailure = definePipeline({ name: 'exit-on-failure', parameters: {} }, (p) => {
  const r = p.task('report', report, { msg: 'bye', status: taskFinalStatus() });
  p.exitHandler(r, (p) => void p.task('fail', fail, {}));
});

const millis = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number =>
  Number(t?.seconds ?? Number.NaN) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);

const succeeded = (job: Job) =>
  expect(String(job.state), JSON.stringify(job.error)).toBe('PIPELINE_STATE_SUCCEEDED');

describe('DSL control flow on the Vertex emulator', () => {
  let vertex: Vertex;
  beforeAll(async () => {
    vertex = await startVertex(inject('stack').gcs.endpoint);
  });
  afterAll(async () => {
    await vertex?.close();
  });

  it('if/elif/else on a parameter runs one branch; the others are NOT_TRIGGERED', async () => {
    const job = await vertex.run(condParam, { mode: 'b', n: 3, flag: false, rate: 0.5 });
    succeeded(job);
    expect(stateOf(job, 'condition-branches-1')).toBe('SUCCEEDED');
    expect(stateOf(job, 'condition-2')).toBe('NOT_TRIGGERED');
    expect(stateOf(job, 'condition-3')).toBe('SUCCEEDED');
    expect(stateOf(job, 'condition-4')).toBe('NOT_TRIGGERED');
    expect(stateOf(job, 'echo-2')).toBe('SUCCEEDED');
    expect(tasksNamed(job, 'echo')).toEqual([]);
    expect(tasksNamed(job, 'echo-3')).toEqual([]);
    // n > 2, flag == true, rate >= 0.25, rate < 1 (double(1)), n != 2.5 (double(int(n))).
    expect(
      ['condition-5', 'condition-6', 'condition-7', 'condition-8', 'condition-9'].map((n) => stateOf(job, n)),
    ).toEqual(['SUCCEEDED', 'NOT_TRIGGERED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(param(task(job, 'echo-float'), 'input:x')).toBe(0.5);
  });

  it('a condition on an upstream output, with a nested condition on a BOOLEAN parameter', async () => {
    const [on, off] = await Promise.all([
      vertex.run(condOutput, { push: true }),
      vertex.run(condOutput, { push: false }),
    ]);
    for (const job of [on, off]) {
      succeeded(job);
      expect(param(task(job, 'flip'), 'output:result')).toBe('heads');
      expect(stateOf(job, 'is-heads')).toBe('SUCCEEDED');
      expect(stateOf(job, 'condition-4')).toBe('NOT_TRIGGERED');
    }
    expect(stateOf(on, 'condition-3')).toBe('SUCCEEDED');
    expect(param(task(on, 'echo'), 'input:msg')).toBe('heads');
    expect(stateOf(off, 'condition-3')).toBe('NOT_TRIGGERED');
    expect(tasksNamed(off, 'echo')).toEqual([]);
  });

  it('loops fan out over a literal list, a LIST parameter and an upstream output; collected sums', async () => {
    const [byDefault, given] = await Promise.all([vertex.run(loops), vertex.run(loops, { nums: '[5, 7]' })]);
    succeeded(byDefault);
    // parallelism 1: the literal loop's second iteration starts after the first one ended.
    const [first, second] = ['for-loop-2-iteration-0', 'for-loop-2-iteration-1'].map((n) =>
      task(byDefault, n),
    );
    expect(millis(second?.startTime)).toBeGreaterThanOrEqual(millis(first?.endTime));
    expect(statesOf(byDefault, 'echo')).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(statesOf(byDefault, 'double')).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(
      tasksNamed(byDefault, 'double')
        .map((t) => param(t, 'output:out'))
        .sort(),
    ).toEqual([2, 4, 6]);
    // The condition inside the loop holds for 2 and 3, not for 1.
    expect(statesOf(byDefault, 'condition-4')).toEqual(['NOT_TRIGGERED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(param(task(byDefault, 'total'), 'input:ns')).toEqual(expect.arrayContaining([2, 4, 6]));
    expect(param(task(byDefault, 'total'), 'output:out')).toBe(12);
    expect(
      tasksNamed(byDefault, 'echo-2')
        .map((t) => param(t, 'input:msg'))
        .sort(),
    ).toEqual(['a', 'b']);
    expect(
      tasksNamed(byDefault, 'echo-3')
        .map((t) => param(t, 'input:msg'))
        .sort(),
    ).toEqual(['x', 'y']);
    succeeded(given);
    expect(tasksNamed(given, 'double')).toHaveLength(2);
    expect(param(task(given, 'total'), 'output:out')).toBe(24);
  });

  it('an exit handler runs its exit task after the body, with the final status, also after a failure', async () => {
    const [ok, failed] = await Promise.all([
      vertex.run(exitHandler, { msg: 'hello' }),
      vertex.run(exitOnFailure),
    ]);
    succeeded(ok);
    expect(stateOf(ok, 'cleanup')).toBe('SUCCEEDED');
    expect(stateOf(ok, 'echo-2')).toBe('SUCCEEDED');
    expect(stateOf(ok, 'report')).toBe('SUCCEEDED');
    expect(String(param(task(ok, 'report'), 'output:seen'))).toMatch(/^hello .*"state":\s*"SUCCEEDED"/);
    expect(String(failed.state)).toBe('PIPELINE_STATE_FAILED');
    expect(stateOf(failed, 'fail')).toBe('FAILED');
    expect(stateOf(failed, 'exit-handler-1')).toBe('FAILED');
    expect(stateOf(failed, 'report')).toBe('SUCCEEDED');
    expect(String(param(task(failed, 'report'), 'output:seen'))).toMatch(/^bye .*"state":\s*"FAILED"/);
  });

  it('the penguins shape: artifacts reach a task inside two nested conditions', async () => {
    const [on, off] = await Promise.all([
      vertex.run(pushIfBlessed, { root: 'gs://bucket/models' }),
      vertex.run(pushIfBlessed, { push_enabled: false }),
    ]);
    succeeded(on);
    expect(stateOf(on, 'blessed')).toBe('SUCCEEDED');
    expect(stateOf(on, 'push-enabled')).toBe('SUCCEEDED');
    expect(param(task(on, 'push'), 'output:pushed')).toBe('gs://bucket/models');
    expect(task(on, 'push').inputs?.['model']?.artifacts?.[0]?.uri).toBe(
      task(on, 'train').outputs?.['model']?.artifacts?.[0]?.uri,
    );
    succeeded(off);
    expect(stateOf(off, 'push-enabled')).toBe('NOT_TRIGGERED');
    expect(tasksNamed(off, 'push')).toEqual([]);
  });
});
