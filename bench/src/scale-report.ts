// The figures of one pass of bench/src/scale.ts. Pure, so the unit test can hold the report to its
// promise: it refuses to report a pass that measured nothing.
import { NothingMeasuredError } from './stats.ts';
import { round } from './bridge-report.ts';

/** What one pass observed. */
export interface ScalePass {
  readonly workers: number;
  /** Whether one worker was killed (SIGKILL) once half the runs had completed. */
  readonly killed: boolean;
  readonly runs: number;
  readonly completed: number;
  readonly wallMs: number;
  /** Pipeline job ids the fake Vertex created, one line per create. */
  readonly jobsCreated: readonly string[];
}

/** What the benchmark prints for a pass. */
export interface ScaleReport {
  readonly workers: number;
  readonly killed: boolean;
  readonly runs: number;
  readonly completed: number;
  readonly wallSeconds: number;
  readonly runsPerSecond: number;
  readonly jobsCreated: number;
  /** Jobs created more than once (a second run of one side effect); must be 0. */
  readonly jobsCreatedTwice: number;
}

/** @throws NothingMeasuredError when no run completed */
export function scaleReport(p: ScalePass): ScaleReport {
  if (p.completed === 0 || !(p.wallMs > 0)) {
    throw new NothingMeasuredError(`${p.completed} of ${p.runs} runs completed: nothing was measured`);
  }
  const distinct = new Set(p.jobsCreated);
  return {
    workers: p.workers,
    killed: p.killed,
    runs: p.runs,
    completed: p.completed,
    wallSeconds: round(p.wallMs / 1000),
    runsPerSecond: round(p.completed / (p.wallMs / 1000)),
    jobsCreated: distinct.size,
    jobsCreatedTwice: p.jobsCreated.length - distinct.size,
  };
}
