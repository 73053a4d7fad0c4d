// The activity proxies, one per timeout class. Every number says why it is that number.
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '@conveyor/activities';

/**
 * Quick reads and pure work: request typing, compile, collect outputs. One or two RPCs or a
 * compile take seconds; 1 min covers a slow regional GCS. Ten attempts with backoff up to 30 s ride
 * out about 3 min of transient errors (20% UNAVAILABLE fails 10 times in a row with p ≈ 1e-7).
 * Nothing external to undo: abandon on cancel.
 */
export const quick = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
  },
  cancellationType: ActivityCancellationType.TRY_CANCEL,
});

/**
 * Side effects keyed by the run (create build, upload spec, submit job, cancel build/job). Called
 * inside `CancellationScope.nonCancellable` so a cancel never leaves one half-known: the workflow
 * always learns the id of what it created, then cancels it. Same budget as `quick`; the idempotency
 * keys (run tag, content hash, job id) make every retry safe. 3 min because startBuild fetches the
 * commit with git first.
 */
export const sideEffects = proxyActivities<Activities>({
  startToCloseTimeout: '3 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
  },
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});

/**
 * `git ls-remote`: seconds normally; 1 min bounds a hung remote. Five attempts 5 s apart and
 * growing cover a flaky network without hiding a repository that does not exist.
 */
export const git = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 5 },
  cancellationType: ActivityCancellationType.TRY_CANCEL,
});

/**
 * Retry-based wait for a build (ARCHITECTURE.md, "Waiting"): each attempt is one GetBuild (10 s is generous, and bounds how
 * long a poll lost with a crashed worker delays the run);
 * "still running" is a BENIGN failure retried at a fixed interval (`backoffCoefficient: 1`; the
 * activity's `nextRetryDelay` sets the actual poll interval from worker config, 10 s here is the
 * fallback). Retries add no history events and hold no worker slot. Unlimited attempts (maximumAttempts unset), bounded by
 * 2 h in total: Cloud Build's own maximum build timeout is 24 h but image builds that take over 2 h
 * are broken, and the run should say so. Polls are reads: abandon on cancel.
 */
export const pollBuild = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '2 hours',
  // No maximumAttempts: unlimited, bounded by scheduleToCloseTimeout.
  retry: { initialInterval: '10 seconds', backoffCoefficient: 1 },
  cancellationType: ActivityCancellationType.TRY_CANCEL,
});

/**
 * Retry-based wait for a pipeline job: as `pollBuild`, bounded by 7 days (Vertex pipelines run for
 * hours to days; a week-old run is stuck).
 */
export const pollJob = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '7 days',
  // No maximumAttempts: unlimited, bounded by scheduleToCloseTimeout.
  retry: { initialInterval: '10 seconds', backoffCoefficient: 1 },
  cancellationType: ActivityCancellationType.TRY_CANCEL,
});

/**
 * Waiting for a cancelled build/job to reach a terminal state: Cloud Build and Vertex finish a
 * cancel in seconds to minutes; 30 min says something is wrong without waiting forever.
 */
export const pollCancelled = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '30 minutes',
  // No maximumAttempts: unlimited, bounded by scheduleToCloseTimeout.
  retry: { initialInterval: '5 seconds', backoffCoefficient: 1 },
  cancellationType: ActivityCancellationType.TRY_CANCEL,
});

/**
 * Writing the run report after a successful job: one GetPipelineJob, maybe one GCS read, a render
 * in milliseconds and two small GCS writes — 1 min per attempt covers a slow regional GCS. The
 * report is a courtesy, not the run's purpose: four attempts (backoff 2 s, 4 s, 8 s) ride out a
 * transient blip, and 3 min in total bounds how long a broken report can delay the run's result;
 * the workflow then logs a warning and succeeds without it. The writes are idempotent
 * (`ifGenerationMatch: 0`, rendering is a pure function of the result), so abandon on cancel.
 */
export const report = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '3 minutes',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 4,
  },
  cancellationType: ActivityCancellationType.TRY_CANCEL,
});
