import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { ErrorTypes, gcpErrorKinds, type ErrorType } from '@conveyor/contracts';
import { GcpError } from '@conveyor/gcp';

/**
 * The one translator from Google errors to Temporal failures (libs/gcp stays free of Temporal, so
 * it lives here). The failure's type and retryability both come from `gcpErrorKinds` (libs/contracts),
 * the table `GcpError.retryable` reads too: transient codes (UNAVAILABLE, DEADLINE_EXCEEDED,
 * RESOURCE_EXHAUSTED, ABORTED, INTERNAL) stay retryable as `GcpTransient`; INVALID_ARGUMENT,
 * PERMISSION_DENIED, NOT_FOUND, FAILED_PRECONDITION, ALREADY_EXISTS become non-retryable failures of
 * their own type. The original stays as `cause`.
 */
export function toActivityFailure(e: unknown): unknown {
  if (e instanceof ApplicationFailure) return e;
  if (e instanceof GcpError) {
    return ApplicationFailure.create({
      message: e.message,
      type: gcpErrorKinds[e.kind].errorType,
      nonRetryable: !e.retryable,
      cause: e,
    });
  }
  return e;
}

/** Runs an activity body, translating what it throws. */
export async function translating<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e: unknown) {
    throw toActivityFailure(e);
  }
}

/**
 * The BENIGN "still running" failure of the retry-based wait: the retry policy calls the check again
 * after `nextRetryDelay`, adding no history events and holding no worker slot while it waits.
 * `details[0]` carries the progress (steps / tasks) so `conveyor runs watch` can show it.
 */
export function stillRunning(message: string, progress: unknown, pollIntervalMs: number): ApplicationFailure {
  return ApplicationFailure.create({
    message,
    type: ErrorTypes.StillRunning,
    category: ApplicationFailureCategory.BENIGN,
    nextRetryDelay: pollIntervalMs,
    details: [progress],
  });
}

/** A non-retryable failure with a contracts type. */
export function permanent(type: ErrorType, message: string, cause?: Error): ApplicationFailure {
  return ApplicationFailure.create({ message, type, nonRetryable: true, cause });
}
