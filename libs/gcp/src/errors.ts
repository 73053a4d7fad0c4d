import { status as GrpcStatus } from '@grpc/grpc-js';
import { grpcSpanAttributes, inClientSpan } from './tracing.ts';

/**
 * How Conveyor treats a failed Google call. libs/gcp stays free of Temporal: this classification is
 * turned into Temporal failures by libs/activities (`toActivityFailure`).
 */
export type GcpErrorKind =
  | 'transient'
  | 'permission-denied'
  | 'invalid-argument'
  | 'not-found'
  | 'failed-precondition'
  | 'already-exists'
  | 'unknown';

/** A Google API call failed; `kind` says whether retrying can help. Keeps the original as `cause`. */
export class GcpError extends Error {
  /** e.g. `CloudBuild.createBuild`. */
  readonly operation: string;
  readonly kind: GcpErrorKind;
  /** gRPC status name (`UNAVAILABLE`) or HTTP status (`412`), as received. */
  readonly code: string;
  /** Whether the same call may succeed later. */
  readonly retryable: boolean;
  constructor(operation: string, kind: GcpErrorKind, code: string, detail: string, cause: unknown) {
    super(`${operation} failed: ${code}: ${detail}`, { cause });
    this.name = 'GcpError';
    this.operation = operation;
    this.kind = kind;
    this.code = code;
    this.retryable = kind === 'transient' || kind === 'unknown';
  }
}

const grpcKinds: Partial<Record<number, GcpErrorKind>> = {
  // Retried (the error taxonomy in ARCHITECTURE.md): the service is overloaded, restarting or raced us.
  [GrpcStatus.UNAVAILABLE]: 'transient',
  [GrpcStatus.DEADLINE_EXCEEDED]: 'transient',
  [GrpcStatus.RESOURCE_EXHAUSTED]: 'transient',
  [GrpcStatus.ABORTED]: 'transient',
  [GrpcStatus.INTERNAL]: 'transient',
  // Never retried: the same call will fail the same way.
  [GrpcStatus.INVALID_ARGUMENT]: 'invalid-argument',
  [GrpcStatus.PERMISSION_DENIED]: 'permission-denied',
  [GrpcStatus.UNAUTHENTICATED]: 'permission-denied',
  [GrpcStatus.NOT_FOUND]: 'not-found',
  [GrpcStatus.FAILED_PRECONDITION]: 'failed-precondition',
  [GrpcStatus.ALREADY_EXISTS]: 'already-exists',
};

const httpKinds: Partial<Record<number, GcpErrorKind>> = {
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

function detailOf(e: unknown): string {
  if (e && typeof e === 'object' && 'details' in e && typeof e.details === 'string' && e.details)
    return e.details;
  return e instanceof Error ? e.message : String(e);
}

/** The gRPC status code of an error from a gapic client, if it has one. */
export function grpcCodeOf(e: unknown): number | undefined {
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'number') return e.code;
  return undefined;
}

/** Translates an error thrown by a gapic (gRPC) client call. Non-gRPC errors count as `unknown` (retryable). */
export function translateGrpcError(operation: string, e: unknown): GcpError {
  if (e instanceof GcpError) return e;
  const code = grpcCodeOf(e);
  if (code === undefined) return new GcpError(operation, 'unknown', 'UNKNOWN', detailOf(e), e);
  return new GcpError(
    operation,
    grpcKinds[code] ?? 'unknown',
    GrpcStatus[code] ?? String(code),
    detailOf(e),
    e,
  );
}

/** Translates an error thrown by the Storage (JSON/HTTP) client. */
export function translateHttpError(operation: string, e: unknown): GcpError {
  if (e instanceof GcpError) return e;
  const code = e && typeof e === 'object' && 'code' in e && typeof e.code === 'number' ? e.code : undefined;
  if (code === undefined) return new GcpError(operation, 'unknown', 'UNKNOWN', detailOf(e), e);
  return new GcpError(
    operation,
    httpKinds[code] ?? (code >= 500 ? 'transient' : 'unknown'),
    String(code),
    detailOf(e),
    e,
  );
}

/** Runs one call in a tracing span named `operation`, translating whatever it throws. */
export async function callGrpc<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  return inClientSpan(operation, grpcSpanAttributes(operation), async () => {
    try {
      return await fn();
    } catch (e: unknown) {
      throw translateGrpcError(operation, e);
    }
  });
}
