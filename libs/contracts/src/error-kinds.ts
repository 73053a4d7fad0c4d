/**
 * The one classification of a failed Google call: which kind it is (from its gRPC status or HTTP
 * status), whether retrying can help, and which `ErrorType` a run fails with when it does not.
 * libs/gcp builds `GcpError` from it, libs/activities turns that into Temporal failures, and the
 * bridge asks it about the Pub/Sub client's errors. Pure code: gRPC codes are numbers here (their
 * values are fixed by the gRPC specification; a libs/gcp test holds them equal to grpc-js's).
 */
import { ErrorTypes, type ErrorType } from './errors.ts';

/** How Conveyor treats a failed Google call. */
export type GcpErrorKind =
  | 'transient'
  | 'permission-denied'
  | 'invalid-argument'
  | 'not-found'
  | 'failed-precondition'
  | 'already-exists'
  | 'unknown';

/** Per kind: whether the same call may succeed later, and the run's failure type. */
export const gcpErrorKinds: Readonly<
  Record<GcpErrorKind, { readonly retryable: boolean; readonly errorType: ErrorType }>
> = {
  // The service is overloaded, restarting or raced us: retried by the activity's retry policy.
  transient: { retryable: true, errorType: ErrorTypes.GcpTransient },
  // Not a Google status at all (a socket reset, a client bug): retried, bounded by the policy.
  unknown: { retryable: true, errorType: ErrorTypes.GcpTransient },
  // The same call will fail the same way: never retried.
  'permission-denied': { retryable: false, errorType: ErrorTypes.PermissionDenied },
  'invalid-argument': { retryable: false, errorType: ErrorTypes.InvalidArgument },
  'not-found': { retryable: false, errorType: ErrorTypes.NotFound },
  'failed-precondition': { retryable: false, errorType: ErrorTypes.FailedPrecondition },
  'already-exists': { retryable: false, errorType: ErrorTypes.AlreadyExists },
};

/** gRPC status codes Conveyor classifies (values from the gRPC specification). */
export const GrpcCodes = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** Kind of each gRPC status; any other status is `unknown`. */
export const grpcCodeKinds: Readonly<Partial<Record<number, GcpErrorKind>>> = {
  [GrpcCodes.UNAVAILABLE]: 'transient',
  [GrpcCodes.DEADLINE_EXCEEDED]: 'transient',
  [GrpcCodes.RESOURCE_EXHAUSTED]: 'transient',
  [GrpcCodes.ABORTED]: 'transient',
  [GrpcCodes.INTERNAL]: 'transient',
  [GrpcCodes.INVALID_ARGUMENT]: 'invalid-argument',
  [GrpcCodes.PERMISSION_DENIED]: 'permission-denied',
  [GrpcCodes.UNAUTHENTICATED]: 'permission-denied',
  [GrpcCodes.NOT_FOUND]: 'not-found',
  [GrpcCodes.FAILED_PRECONDITION]: 'failed-precondition',
  [GrpcCodes.ALREADY_EXISTS]: 'already-exists',
};

/** Kind of each HTTP status (Cloud Storage's JSON API); other 5xx are transient, the rest `unknown`. */
export const httpStatusKinds: Readonly<Partial<Record<number, GcpErrorKind>>> = {
  400: 'invalid-argument',
  401: 'permission-denied',
  403: 'permission-denied',
  404: 'not-found',
  409: 'already-exists',
  412: 'failed-precondition',
  429: 'transient',
  500: 'transient',
  502: 'transient',
  503: 'transient',
  504: 'transient',
};

/** The numeric `code` of a thrown gRPC or HTTP client error, if it has one. */
export function numericCodeOf(e: unknown): number | undefined {
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'number') return e.code;
  return undefined;
}

/** The kind of a gRPC status code. */
export function kindOfGrpcCode(code: number): GcpErrorKind {
  return grpcCodeKinds[code] ?? 'unknown';
}

/** The kind of an HTTP status code. */
export function kindOfHttpStatus(code: number): GcpErrorKind {
  return httpStatusKinds[code] ?? (code >= 500 ? 'transient' : 'unknown');
}

/**
 * The kind of anything a Google client threw: a classified error's own `kind` (libs/gcp's
 * `GcpError`), else its gRPC status, else `unknown`. The one question callers ask instead of
 * comparing codes or duck-typing.
 */
export function gcpErrorKindOf(e: unknown): GcpErrorKind {
  if (e && typeof e === 'object' && 'kind' in e && typeof e.kind === 'string' && e.kind in gcpErrorKinds)
    return e.kind as GcpErrorKind;
  const code = numericCodeOf(e);
  return code === undefined ? 'unknown' : kindOfGrpcCode(code);
}
