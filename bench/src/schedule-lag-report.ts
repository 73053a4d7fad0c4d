// The figures of bench/src/schedule-lag.ts. Pure, so the unit test can hold the report to its promise:
// it refuses to report a run that measured nothing.
import { NothingMeasuredError, summarize, type Summary } from './stats.ts';

/** One firing: when the schedule meant it to start and when the run started, epoch ms. */
export interface Firing {
  readonly scheduledAt: number;
  readonly startedAt: number;
}

/** What the benchmark prints. */
export interface ScheduleLagReport {
  readonly firings: number;
  /** Runs found with a scheduled time. */
  readonly runs: number;
  /** Scheduled time → run started, ms. */
  readonly fireLagMs: Summary;
}

/**
 * @throws NothingMeasuredError when no firing was observed, or one lacks its times
 */
export function scheduleLagReport(firings: number, observed: readonly Firing[]): ScheduleLagReport {
  if (
    observed.length === 0 ||
    observed.some((f) => !Number.isFinite(f.scheduledAt) || !Number.isFinite(f.startedAt))
  ) {
    throw new NothingMeasuredError(
      `${observed.length} runs of ${firings} firings, some without times: nothing was measured`,
    );
  }
  return {
    firings,
    runs: observed.length,
    fireLagMs: summarize(observed.map((f) => f.startedAt - f.scheduledAt)),
  };
}
