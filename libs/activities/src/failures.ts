import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { ErrorTypes, type ErrorType } from '@conveyor/contracts';
import { GcpError, type GcpErrorKind } from '@conveyor/gcp';

const typeOfKind: Partial<Record<GcpErrorKind, ErrorType>> = {
  'permission-denied': ErrorTypes.PermissionDenied,
  'invalid-argument': ErrorTypes.InvalidArgument,
  'not-found': ErrorTypes.NotFound,
  'failed-precondition': ErrorTypes.FailedPrecondition,
};

/**
 * The one translator from Google errors to Temporal failures (libs/gcp stays free of Temporal, so
 * it lives here). Transient codes (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED)
 * stay retryable; INVALID_ARGUMENT, PERMISSION_DENIED, NOT_FOUND, FAILED_PRECONDITION become
 * non-retryable `ApplicationFailure`s with a contracts type, keeping the original as `cause`.
 */
export function toActivityFailure(e: unknown): unknown {
  if (e instanceof ApplicationFailure) return e;
  if (e instanceof GcpError) {
    const type = typeOfKind[e.kind];
    if (type) return ApplicationFailure.create({ message: e.message, type, nonRetryable: true, cause: e });
    return ApplicationFailure.create({
      message: e.message,
      type: ErrorTypes.GcpTransient,
      nonRetryable: false,
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
