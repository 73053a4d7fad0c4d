import { describe, expect, it } from 'vitest';
import { NothingMeasuredError, scheduleCostReport, type ObservedRun } from './schedule-cost-report.ts';

const run = (i: number, over: Partial<ObservedRun> = {}): ObservedRun => ({
  workflowId: `s-${i}`,
  status: 'COMPLETED',
  triggeredAt: 1_000 * i,
  jobSubmittedAt: 1_000 * i + 300 + i,
  buildId: 'b1',
  reused: i > 0,
  ...over,
});

describe('scheduleCostReport', () => {
  it('reports builds per job and trigger → job-submitted percentiles', () => {
    const report = scheduleCostReport(
      20,
      Array.from({ length: 20 }, (_, i) => run(i)),
      1,
    );
    expect(report).toMatchObject({ firings: 20, runs: 20, succeeded: 20, pipelineJobs: 20, imageReused: 19 });
    expect(report.buildsPerJob).toBe(0.05);
    expect(report.triggerToJobSubmittedMs).toMatchObject({ n: 20, min: 300, max: 319, p50: 309 });
  });

  it('refuses to report a run that measured nothing', () => {
    expect(() => scheduleCostReport(20, [], 0)).toThrow(NothingMeasuredError);
    expect(() =>
      scheduleCostReport(20, [run(0, { jobSubmittedAt: undefined, status: 'FAILED' })], 1),
    ).toThrow(/no run submitted a pipeline job/);
  });
});
