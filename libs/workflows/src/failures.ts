import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  TimeoutFailure,
} from '@temporalio/workflow';
import type { ZodType } from 'zod';
import { ErrorTypes, type ErrorType, type Stage, messageOf } from '@conveyor/contracts';

const knownTypes: ReadonlySet<string> = new Set(Object.values(ErrorTypes));

/** What a stage failing for an unclassified reason is reported as. */
const fallbackType: Partial<Record<Stage, ErrorType>> = {
  validating: ErrorTypes.InvalidRequest,
  resolving: ErrorTypes.SourceNotFound,
  building: ErrorTypes.BuildFailed,
  running: ErrorTypes.PipelineFailed,
};

/** Human name of a stage for messages ("build failed: …"). */
const stageLabel: Record<Stage, string> = {
  validating: 'validation',
  resolving: 'commit resolution',
  building: 'build',
  compiling: 'compile',
  uploading: 'spec upload',
  submitting: 'pipeline submission',
  running: 'pipeline',
  collecting: 'output collection',
  reporting: 'report',
  cancelling: 'cancellation',
  succeeded: 'run',
  failed: 'run',
  cancelled: 'run',
};

/**
 * The one way a run fails: an `ApplicationFailure` whose type comes from contracts and whose message
 * names the stage (and, from the activity, the step/task and its log). Keeps the cause.
 */
export function runFailure(e: unknown, stage: Stage): ApplicationFailure {
  if (e instanceof ApplicationFailure && knownTypes.has(e.type ?? '') && e.nonRetryable) return e;
  const cause = e instanceof ActivityFailure ? e.cause : e;
  let type: ErrorType = fallbackType[stage] ?? ErrorTypes.StageFailed;
  let detail = messageOf(cause);
  if (
    cause instanceof ApplicationFailure &&
    knownTypes.has(cause.type ?? '') &&
    cause.type !== ErrorTypes.StillRunning
  ) {
    type = cause.type as ErrorType;
  } else if (cause instanceof ApplicationFailure && cause.type === ErrorTypes.StillRunning) {
    // The retry-based wait ran out of its schedule-to-close budget: Temporal ends the activity with
    // its last failure ("still running"), not a TimeoutFailure.
    if (stage === 'building') type = ErrorTypes.BuildTimedOut;
    if (stage === 'running') type = ErrorTypes.PipelineTimedOut;
    detail = `still not finished when the wait's deadline passed; last: ${cause.message}`;
  } else if (cause instanceof TimeoutFailure) {
    if (stage === 'building') type = ErrorTypes.BuildTimedOut;
    if (stage === 'running') type = ErrorTypes.PipelineTimedOut;
    detail = `timed out (${cause.timeoutType ?? 'unknown'}); last: ${cause.lastHeartbeatDetails ?? cause.cause?.message ?? 'n/a'}`;
  }
  return ApplicationFailure.create({
    type,
    message: `${stageLabel[stage]} failed: ${detail}`,
    nonRetryable: true,
    cause: e instanceof Error ? e : undefined,
  });
}

/** A failure the workflow raises itself (e.g. a build that ended FAILURE). */
export function fail(type: ErrorType, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/**
 * A workflow's input checked against its contract schema, or an `InvalidRequest` failure listing
 * every problem by its path (`what` names the input: "request", "sweep").
 */
export function parseInput<T>(schema: ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw fail(
    ErrorTypes.InvalidRequest,
    `invalid ${what}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
  );
}

/**
 * Throws a cancellation when the workflow was cancelled while a non-cancellable side effect ran, so
 * a cancel that arrived during an upload or a submit never goes on to the next side effect.
 */
export function throwIfCancelled(): void {
  if (CancellationScope.current().consideredCancelled) {
    throw new CancelledFailure('cancelled while a side effect completed');
  }
}
