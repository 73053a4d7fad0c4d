// The figures of bench/src/wait-cost.ts. Pure, so the unit test can hold the report to its promise:
// it refuses to report a run that measured nothing.
import { NothingMeasuredError } from './stats.ts';

/** What the benchmark sampled while its runs waited. */
export interface WaitSamples {
  /** Runs started, and how many of them were running at once at most (visibility count). */
  readonly started: number;
  readonly runningAtOnce: number;
  /** Runs that completed. */
  readonly completed: number;
  /** Activity slots the worker had, and the most it ever used at once. */
  readonly activitySlots: number;
  readonly activitiesInFlightMax: number;
  readonly cachedWorkflowsMax: number;
  /** Process RSS before any run, and the peak while runs waited, bytes. */
  readonly rssIdleBytes: number;
  readonly rssPeakBytes: number;
}

/** What the benchmark prints about waiting at scale: the samples, memory in MB. */
export type WaitReport = Omit<WaitSamples, 'rssIdleBytes' | 'rssPeakBytes'> & {
  readonly rssMb: { readonly idle: number; readonly peakWithWaitingRuns: number };
};

const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;

/**
 * @throws NothingMeasuredError when no run waited (none was running at once with another), or no
 * memory was sampled
 */
export function waitReport(s: WaitSamples): WaitReport {
  if (s.runningAtOnce < 2 || !(s.rssPeakBytes > 0) || !(s.rssIdleBytes > 0)) {
    throw new NothingMeasuredError(
      `${s.runningAtOnce} runs running at once, RSS peak ${s.rssPeakBytes}: nothing waited, nothing was measured`,
    );
  }
  const { rssIdleBytes, rssPeakBytes, ...counts } = s;
  return { ...counts, rssMb: { idle: mb(rssIdleBytes), peakWithWaitingRuns: mb(rssPeakBytes) } };
}
