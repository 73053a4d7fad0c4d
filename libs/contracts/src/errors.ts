/**
 * `ApplicationFailure` types a training run can fail with. Callers (CLI, bridge, dashboards) match
 * on these strings, so they are part of the public contract.
 */
export const ErrorTypes = {
  /** Parameters do not match the pipeline's declared runtime parameters (message names them). */
  InvalidParameters: 'InvalidParameters',
  /** The request itself is malformed (schema), or names an unknown pipeline. */
  InvalidRequest: 'InvalidRequest',
  /** The branch or commit could not be resolved in the repository. */
  SourceNotFound: 'SourceNotFound',
  /** A Cloud Build step failed (message names the step and the build log). */
  BuildFailed: 'BuildFailed',
  /** The build ran past its deadline. */
  BuildTimedOut: 'BuildTimedOut',
  /** The build was cancelled outside Conveyor. */
  BuildCancelled: 'BuildCancelled',
  /** A pipeline task failed (message names the task and the job). */
  PipelineFailed: 'PipelineFailed',
  /** The pipeline job ran past its deadline. */
  PipelineTimedOut: 'PipelineTimedOut',
  /** The pipeline job was cancelled outside Conveyor. */
  PipelineCancelled: 'PipelineCancelled',
  /** Google Cloud refused the call: fix permissions (never retried). */
  PermissionDenied: 'PermissionDenied',
  /** Google Cloud rejected the call's arguments (never retried). */
  InvalidArgument: 'InvalidArgument',
  /** A Google Cloud resource does not exist (never retried). */
  NotFound: 'NotFound',
  /** Google Cloud refused the call in the resource's current state (never retried). */
  FailedPrecondition: 'FailedPrecondition',
  /** Google Cloud refused to create what already exists under that name (never retried). */
  AlreadyExists: 'AlreadyExists',
  /** A sweep ended with no trial that succeeded and reported its metric. */
  SweepFailed: 'SweepFailed',
  /** A Google Cloud call failed transiently (UNAVAILABLE, DEADLINE_EXCEEDED, …): retried. */
  GcpTransient: 'GcpTransient',
  /** A stage failed for another reason after its retries (message names the stage). */
  StageFailed: 'StageFailed',
  /** BENIGN: a build or job is still running; the retry policy polls again. Never ends a run. */
  StillRunning: 'StillRunning',
} as const;

/** One of {@link ErrorTypes}. */
export type ErrorType = (typeof ErrorTypes)[keyof typeof ErrorTypes];

/** The message of anything thrown: an Error's message, or the value as text. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
