import { describe, expect, it } from 'vitest';
import { scheduleLagReport } from './schedule-lag-report.ts';
import { NothingMeasuredError } from './stats.ts';

describe('scheduleLagReport', () => {
  it('reports scheduled time → started percentiles', () => {
    const fired = Array.from({ length: 100 }, (_, i) => ({
      scheduledAt: i * 1000,
      startedAt: i * 1000 + 10 + i,
    }));
    const report = scheduleLagReport(100, fired);
    expect(report).toMatchObject({ firings: 100, runs: 100 });
    expect(report.fireLagMs).toMatchObject({ n: 100, min: 10, p50: 59, p99: 108, max: 109 });
  });

  it('refuses to report a run that measured nothing', () => {
    expect(() => scheduleLagReport(100, [])).toThrow(NothingMeasuredError);
    // A run listed without TemporalScheduledStartTime (not started by the schedule, or the attribute lost).
    expect(() => scheduleLagReport(100, [{ scheduledAt: Number.NaN, startedAt: 5 }])).toThrow(
      /nothing was measured/,
    );
  });
});
