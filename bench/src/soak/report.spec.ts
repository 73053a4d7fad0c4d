import { describe, expect, it } from 'vitest';
import { pipelineJobIdFor } from '@conveyor/contracts';
import { planMessages, SHARES } from './plan.ts';
import {
  NothingMeasuredError,
  soakReport,
  type ObservedRun,
  type PublishedMessage,
  type SoakObservations,
} from './report.ts';

const chaos = { workerKills: 3, bridgeKills: 2, faultRate: 0.1, unexpectedExits: 0 };

/** A soak where everything went right: one run and one job per key, one dead letter per invalid message. */
function perfect(): SoakObservations & { published: PublishedMessage[]; runs: ObservedRun[] } {
  const published: PublishedMessage[] = planMessages(40, 7, 't').map((m, i) => ({
    messageId: `m${i}`,
    kind: m.kind,
    runKey: m.runKey,
    expectedReason: m.expectedReason,
  }));
  const firstOfKey = new Map<string, PublishedMessage>();
  for (const m of published) {
    if (m.kind === 'invalid') continue;
    const key = m.runKey ?? m.messageId;
    if (!firstOfKey.has(key)) firstOfKey.set(key, m);
  }
  const runs = [...firstOfKey.values()].map((m, i) => ({
    workflowId: `penguins-${m.runKey ?? m.messageId}`,
    runId: `r${i}`,
    triggerId: m.messageId,
    status: 'COMPLETED',
  }));
  return {
    published,
    runs,
    deadLetters: published
      .filter((m) => m.kind === 'invalid')
      .map((m) => ({ originalMessageId: m.messageId, reason: m.expectedReason })),
    builds: [{ id: 'b1', status: 'SUCCESS' }],
    jobs: runs.map((r) => ({
      name: `projects/p/locations/l/pipelineJobs/${pipelineJobIdFor(r.workflowId, r.runId)}`,
      state: 'PIPELINE_STATE_SUCCEEDED',
    })),
    cancelledAtDeadline: 0,
    chaos,
  };
}

describe('planMessages', () => {
  it('plans 10 % repeated keys and 10 % invalid messages of every reason, the same for the same seed', () => {
    const plan = planMessages(1000, 42, 'soak');
    const count = (kind: string) => plan.filter((m) => m.kind === kind).length;
    expect(count('repeat')).toBe(1000 * SHARES.repeat);
    expect(count('invalid')).toBe(1000 * SHARES.invalid);
    expect(count('keyed') + count('unkeyed')).toBe(800);
    expect(new Set(plan.filter((m) => m.kind === 'invalid').map((m) => m.expectedReason))).toEqual(
      new Set([
        'invalid-parameters',
        'not-json',
        'not-object',
        'unknown-pipeline',
        'spec-not-allowed',
        'invalid-request',
      ]),
    );
    // A repeat repeats a key published before it.
    plan.forEach((m, i) => {
      if (m.kind !== 'repeat') return;
      expect(plan.slice(0, i).some((e) => e.kind === 'keyed' && e.runKey === m.runKey)).toBe(true);
    });
    expect(planMessages(1000, 42, 'soak')).toEqual(plan);
    expect(planMessages(1000, 43, 'soak').map((m) => m.kind)).not.toEqual(plan.map((m) => m.kind));
  });
});

describe('soakReport', () => {
  it('reports one run per key, one job per run and nothing left running as the targets met', () => {
    const o = perfect();
    const report = soakReport(o);
    expect(report).toMatchObject({
      lost: 0,
      duplicateRuns: 0,
      unexpectedRuns: 0,
      orphans: { builds: 0, jobs: 0 },
      runsStarted: o.runs.length,
      runsCompleted: o.runs.length,
      jobs: { total: o.runs.length, perRun: 1, completedRunsWithoutJob: 0, runsWithSeveralJobs: 0, stray: 0 },
      deadLetters: { invalidWithout: 0, wrongReason: 0, ofValidMessages: 0, repeated: 0 },
      targetsMet: true,
    });
    expect(report.messages.expectedRuns).toBe(o.runs.length);
    expect(report.builds.perRun).toBeCloseTo(1 / o.runs.length);
  });

  it('counts a lost message, a duplicate run, a run of an invalid message and orphans', () => {
    const o = perfect();
    const [first, second, ...rest] = o.runs;
    const invalid = o.published.find((m) => m.kind === 'invalid')!;
    const report = soakReport({
      ...o,
      // `first`'s key lost its run; `second`'s key has two; an invalid message started one.
      runs: [
        second!,
        { ...second!, runId: 'again' },
        { workflowId: 'w-bad', runId: 'x', triggerId: invalid.messageId, status: 'COMPLETED' },
        ...rest,
      ],
      builds: [...o.builds, { id: 'b2', status: 'WORKING' }],
      jobs: [
        ...o.jobs,
        { name: 'projects/p/locations/l/pipelineJobs/stray', state: 'PIPELINE_STATE_RUNNING' },
      ],
      deadLetters: [...o.deadLetters, { originalMessageId: invalid.messageId, reason: 'not-json' }],
    });
    // Every valid message of the first run's key is lost (its repeats too).
    const lostMessage = o.published.find((m) => m.messageId === first!.triggerId)!;
    const keyOf = (m: PublishedMessage) => m.runKey ?? m.messageId;
    const sameKey = o.published.filter((m) => m.kind !== 'invalid' && keyOf(m) === keyOf(lostMessage));
    expect(report.lost).toBe(sameKey.length);
    expect(report.examples.lost[0]).toContain(lostMessage.messageId);
    expect(report.duplicateRuns).toBe(1);
    expect(report.unexpectedRuns).toBe(1);
    expect(report.orphans).toMatchObject({ builds: 1, jobs: 1 });
    expect(report.jobs.stray).toBe(2);
    expect(report.deadLetters.repeated).toBe(1);
    expect(report.deadLetters.wrongReason).toBe(invalid.expectedReason === 'not-json' ? 0 : 1);
    expect(report.targetsMet).toBe(false);
    expect(report.examples.duplicates[0]).toContain('again');
  });

  it('does not count a soak whose runs had not all ended as a pass, even with nothing orphaned yet', () => {
    const o = perfect();
    const [first, ...rest] = o.runs;
    const report = soakReport({ ...o, runs: [{ ...first!, status: 'RUNNING' }, ...rest] });
    expect(report).toMatchObject({
      lost: 0,
      duplicateRuns: 0,
      orphans: { builds: 0, jobs: 0 },
      unfinishedRuns: 1,
    });
    expect(report.targetsMet).toBe(false);
  });

  it('refuses to report a soak that measured nothing', () => {
    expect(() => soakReport({ ...perfect(), published: [] })).toThrow(NothingMeasuredError);
    expect(() => soakReport({ ...perfect(), runs: [] })).toThrow(/0 runs seen: nothing was measured/);
  });
});
