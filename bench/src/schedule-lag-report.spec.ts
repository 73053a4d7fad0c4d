import { describe, expect, it } from 'vitest';
import { scheduleLagReport, schedulerTimers, type TimerEvent } from './schedule-lag-report.ts';
import { NothingMeasuredError } from './stats.ts';

const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

describe('scheduleLagReport', () => {
  it('reports scheduled time → started percentiles', () => {
    const fired = Array.from({ length: 100 }, (_, i) => ({
      scheduledAt: i * 1000,
      startedAt: i * 1000 + 10 + i,
    }));
    const report = scheduleLagReport(100, fired);
    expect(report).toMatchObject({ firings: 100, runs: 100 });
    expect(report.fireLagMs).toMatchObject({ n: 100, min: 10, p50: 59, p99: 108, max: 109 });
    expect(report.schedulerTimers).toBeUndefined();
  });

  it('refuses to report a run that measured nothing', () => {
    expect(() => scheduleLagReport(100, [])).toThrow(NothingMeasuredError);
    // Timers alone are no measurement of the lag.
    expect(() => scheduleLagReport(100, [], [{ startedAt: 0, requestedMs: 300, firedAt: 1000 }])).toThrow(
      NothingMeasuredError,
    );
    // A run listed without TemporalScheduledStartTime (not started by the schedule, or the attribute lost).
    expect(() => scheduleLagReport(100, [{ scheduledAt: Number.NaN, startedAt: 5 }])).toThrow(
      /nothing was measured/,
    );
  });

  it('reports how late the scheduler timers fired', () => {
    const report = scheduleLagReport(
      1,
      [{ scheduledAt: 1000, startedAt: 1900 }],
      [
        { startedAt: 0, requestedMs: 300, firedAt: 1000 },
        { startedAt: 1000, requestedMs: 900, firedAt: 1950 },
      ],
    );
    expect(report.schedulerTimers).toMatchObject({
      timers: 2,
      requestedMs: { min: 300, max: 900 },
      firedAfterMs: { min: 950, max: 1000 },
      lateMs: { min: 50, max: 700 },
    });
  });
});

describe('schedulerTimers', () => {
  it('pairs started and fired timers by id, leaving out timers that never fired', () => {
    const events: TimerEvent[] = [
      { eventTime: at(1_000), timerStartedEventAttributes: { timerId: '1', startToFireTimeout: at(335) } },
      { eventTime: at(1_950), timerFiredEventAttributes: { timerId: '1' } },
      { eventTime: at(2_000), timerStartedEventAttributes: { timerId: '2', startToFireTimeout: at(1_000) } },
      { eventTime: at(2_500), timerStartedEventAttributes: { timerId: '3', startToFireTimeout: at(900) } },
      { eventTime: at(3_420), timerFiredEventAttributes: { timerId: '3' } },
    ];
    expect(schedulerTimers(events)).toEqual([
      { startedAt: 1_000, requestedMs: 335, firedAt: 1_950 },
      { startedAt: 2_500, requestedMs: 900, firedAt: 3_420 },
    ]);
  });

  it('finds nothing in a history without timers', () => {
    expect(schedulerTimers([{ eventTime: at(1) }])).toEqual([]);
  });
});
