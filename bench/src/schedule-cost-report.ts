// The figures of bench/src/schedule-cost.ts, from what it observed. Pure, so the unit test can hold
// the report to its promise: it refuses to report a run that measured nothing.
import { summarize, type Summary } from './stats.ts';

/** One scheduled run as the benchmark saw it. */
export interface ObservedRun {
  readonly workflowId: string;
  /** Final status name: COMPLETED, FAILED, … */
  readonly status: string;
  /** Epoch ms the schedule fired (the run's start). */
  readonly triggeredAt: number;
  /** Epoch ms `submitPipelineJob` completed, when it did. */
  readonly jobSubmittedAt?: number | undefined;
  /** The build the run's image came from, and whether it was reused. */
  readonly buildId?: string | undefined;
  readonly reused?: boolean | undefined;
}

/** What the benchmark prints. */
export interface ScheduleCostReport {
  readonly firings: number;
  readonly runs: number;
  readonly succeeded: number;
  /** Builds of the commit's image created during the benchmark (target: 1). */
  readonly buildsStarted: number;
  readonly pipelineJobs: number;
  /** Runs whose image came from an earlier build (the one started here). */
  readonly imageReused: number;
  /** Schedule fire → pipeline job submitted, ms. */
  readonly triggerToJobSubmittedMs: Summary;
  /** `1 build for N jobs`, the target, as measured. */
  readonly buildsPerJob: number;
}

/** An empty measurement: the benchmark did not measure what it claims to. */
export class NothingMeasuredError extends Error {
  override readonly name = 'NothingMeasuredError';
}

/**
 * The report of `firings` schedule firings from the runs observed and the builds counted.
 * @throws NothingMeasuredError when no run submitted a job (a broken setup, not a fast result)
 */
export function scheduleCostReport(
  firings: number,
  runs: readonly ObservedRun[],
  buildsStarted: number,
): ScheduleCostReport {
  const submitted = runs.filter((r) => r.jobSubmittedAt !== undefined);
  if (runs.length === 0 || submitted.length === 0) {
    throw new NothingMeasuredError(
      `no run submitted a pipeline job (${runs.length} runs seen of ${firings} firings): nothing was measured`,
    );
  }
  return {
    firings,
    runs: runs.length,
    succeeded: runs.filter((r) => r.status === 'COMPLETED').length,
    buildsStarted,
    pipelineJobs: submitted.length,
    imageReused: runs.filter((r) => r.reused === true).length,
    triggerToJobSubmittedMs: summarize(submitted.map((r) => (r.jobSubmittedAt as number) - r.triggeredAt)),
    buildsPerJob: buildsStarted / submitted.length,
  };
}
