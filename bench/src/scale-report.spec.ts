import { describe, expect, it } from 'vitest';
import { scaleReport } from './scale-report.ts';
import { NothingMeasuredError } from './stats.ts';

describe('scaleReport', () => {
  it('reports throughput and counts jobs created twice', () => {
    const report = scaleReport({
      workers: 2,
      killed: true,
      runs: 4,
      completed: 4,
      wallMs: 2_000,
      jobsCreated: ['a', 'b', 'c', 'c', 'd'],
    });
    expect(report).toEqual({
      workers: 2,
      killed: true,
      runs: 4,
      completed: 4,
      wallSeconds: 2,
      runsPerSecond: 2,
      jobsCreated: 4,
      jobsCreatedTwice: 1,
    });
  });

  it('refuses to report a pass that measured nothing', () => {
    expect(() =>
      scaleReport({ workers: 1, killed: false, runs: 200, completed: 0, wallMs: 5_000, jobsCreated: [] }),
    ).toThrow(NothingMeasuredError);
  });
});
