import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  gcpErrorKinds,
  kindOfGrpcCode,
  kindOfHttpStatus,
  messageOf,
  numericCodeOf,
  type GcpErrorKind,
} from '@conveyor/contracts';
import { grpcSpanAttributes, inClientSpan } from './tracing.ts';

/** How Conveyor treats a failed Google call: see `gcpErrorKinds` in libs/contracts. */
export type { GcpErrorKind };

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
    this.retryable = gcpErrorKinds[kind].retryable;
  }
}

function detailOf(e: unknown): string {
  if (e && typeof e === 'object' && 'details' in e && typeof e.details === 'string' && e.details)
    return e.details;
  return messageOf(e);
}

/** Translates an error thrown by a gapic (gRPC) client call. Non-gRPC errors count as `unknown` (retryable). */
export function translateGrpcError(operation: string, e: unknown): GcpError {
  if (e instanceof GcpError) return e;
  const code = numericCodeOf(e);
  if (code === undefined) return new GcpError(operation, 'unknown', 'UNKNOWN', detailOf(e), e);
  return new GcpError(operation, kindOfGrpcCode(code), GrpcStatus[code] ?? String(code), detailOf(e), e);
}

/** Translates an error thrown by the Storage (JSON/HTTP) client. */
export function translateHttpError(operation: string, e: unknown): GcpError {
  if (e instanceof GcpError) return e;
  const code = numericCodeOf(e);
  if (code === undefined) return new GcpError(operation, 'unknown', 'UNKNOWN', detailOf(e), e);
  return new GcpError(operation, kindOfHttpStatus(code), String(code), detailOf(e), e);
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
