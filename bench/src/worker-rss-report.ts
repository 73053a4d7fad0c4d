// The figures of bench/src/worker-rss.ts. Pure, so the unit test can hold the report to its promise:
// it refuses to report a run that measured nothing.
import { NothingMeasuredError, summarize } from './stats.ts';

/** One idle worker, measured. */
export interface WorkerSample {
  readonly variant: string;
  readonly rssBytes: number;
  /** Spawn → "worker started", ms. */
  readonly startMs: number;
}

/** Medians per variant, in MB (10⁶ bytes) and ms. */
export interface WorkerRssReport {
  readonly variants: Record<
    string,
    { readonly samples: number; readonly rssMb: number; readonly startMs: number }
  >;
}

/**
 * The resident set size in bytes from the text of `/proc/<pid>/status` (`VmRSS:  123456 kB`).
 * @throws NothingMeasuredError when the line is missing (the process was gone)
 */
export function rssOfProcStatus(status: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!m) throw new NothingMeasuredError('no VmRSS line in /proc/<pid>/status: the process was gone');
  return Number(m[1]) * 1024;
}

/**
 * Medians per variant.
 * @throws NothingMeasuredError when there is no sample, or one with no memory (not a real process)
 */
export function workerRssReport(samples: readonly WorkerSample[]): WorkerRssReport {
  if (samples.length === 0 || samples.some((s) => !(s.rssBytes > 0))) {
    throw new NothingMeasuredError(`${samples.length} samples, some empty: nothing was measured`);
  }
  const variants: Record<string, { samples: number; rssMb: number; startMs: number }> = {};
  for (const v of new Set(samples.map((s) => s.variant))) {
    const of = samples.filter((s) => s.variant === v);
    variants[v] = {
      samples: of.length,
      rssMb: Math.round(summarize(of.map((s) => s.rssBytes)).p50 / 1e6),
      startMs: Math.round(summarize(of.map((s) => s.startMs)).p50),
    };
  }
  return { variants };
}
