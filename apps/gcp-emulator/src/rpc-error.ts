import { status } from '@grpc/grpc-js';

/** Name of a gRPC status code, e.g. `'UNAVAILABLE'`. */
export type StatusName = keyof typeof status;

/**
 * An error a handler throws to answer the RPC with a specific gRPC status; anything else thrown
 * becomes INTERNAL. `message` is what the client sees as `details`.
 */
export class RpcError extends Error {
  /** gRPC status code sent to the client. */
  readonly code: status;

  constructor(code: status, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RpcError';
    this.code = code;
  }
}

/** Shorthand: `rpcError('NOT_FOUND', 'build x not found')`. */
export function rpcError(code: StatusName, message: string): RpcError {
  return new RpcError(status[code], message);
}

/** Parses a status given by name (`'UNAVAILABLE'`) or number (`14`). @throws Error when unknown. */
export function parseStatus(code: string | number): status {
  if (typeof code === 'number') {
    if (status[code] === undefined) throw new Error(`unknown gRPC status code ${code}`);
    return code;
  }
  const value = (status as unknown as Record<string, number | undefined>)[code.toUpperCase()];
  if (value === undefined) throw new Error(`unknown gRPC status name '${code}'`);
  return value;
}

/**
 * The message of anything thrown: an Error's message, or the value as text. (The emulator stands in
 * for Google and imports nothing of Conveyor's, so it keeps this one-liner of its own.)
 */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
