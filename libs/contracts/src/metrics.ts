// Names of Conveyor's own Prometheus metrics: the workflow records them (libs/workflows metrics.ts),
// the worker's runtime sets their histogram buckets, and dashboards and tests read them.

/** Conveyor's metrics, exported next to the Temporal SDK's on the worker's Prometheus endpoint. */
export const MetricNames = {
  /** Counter: runs started, labels `pipeline`, `trigger`. */
  runsStarted: 'conveyor_runs_started_total',
  /** Counter: runs ended, labels `pipeline`, `trigger`, `outcome` (succeeded|failed|cancelled), `error` (ErrorTypes or ''). */
  runs: 'conveyor_runs_total',
  /** Histogram (seconds): time spent in each stage, labels `pipeline`, `stage`. */
  stageDuration: 'conveyor_stage_duration_seconds',
  /** Counter: training images, labels `pipeline`, `action` (started|reused). */
  builds: 'conveyor_builds_total',
} as const;

/**
 * Bucket bounds of {@link MetricNames.stageDuration}, in seconds. Stages range from a
 * sub-second compile to hour-long builds and day-long pipeline jobs: roughly ×2–×3 steps from 0.5 s
 * to a day keep every stage's median and tail readable with 15 buckets.
 */
export const stageDurationBucketsSeconds: readonly number[] = [
  0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400,
];
