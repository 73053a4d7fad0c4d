/** Errors the PipelineService answers with: each carries the gRPC status code the client will see. */
import { status } from '@grpc/grpc-js';

/** A request error with the gRPC code Vertex would answer with. */
export class RpcError extends Error {
  /** gRPC status code (`status.INVALID_ARGUMENT`, ...). */
  readonly code: status;

  constructor(code: status, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RpcError';
    this.code = code;
  }
}

/** INVALID_ARGUMENT: bad id, spec or runtime parameter. */
export function invalidArgument(message: string): RpcError {
  return new RpcError(status.INVALID_ARGUMENT, message);
}

/** NOT_FOUND for a pipeline job name. */
export function notFound(name: string): RpcError {
  return new RpcError(status.NOT_FOUND, `PipelineJob ${name} not found.`);
}

/** A task attempt that did not succeed; `logPath` points at its log. */
export class TaskFailedError extends Error {
  readonly taskName: string;
  readonly logUri: string | undefined;

  constructor(taskName: string, message: string, logUri: string | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TaskFailedError';
    this.taskName = taskName;
    this.logUri = logUri;
  }
}
