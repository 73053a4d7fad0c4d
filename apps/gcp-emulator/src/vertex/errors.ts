/** Request errors the PipelineService answers with (the shared RpcError carries the gRPC code). */
import { status } from '@grpc/grpc-js';
import { RpcError } from '../rpc-error.ts';

/** INVALID_ARGUMENT: bad id, spec or runtime parameter. */
export function invalidArgument(message: string): RpcError {
  return new RpcError(status.INVALID_ARGUMENT, message);
}

/** NOT_FOUND for a pipeline job name. */
export function notFound(name: string): RpcError {
  return new RpcError(status.NOT_FOUND, `PipelineJob ${name} not found.`);
}

/** FAILED_PRECONDITION, e.g. cancelling a job that already ended. */
export function failedPrecondition(message: string): RpcError {
  return new RpcError(status.FAILED_PRECONDITION, message);
}

/** ALREADY_EXISTS for a reused pipelineJobId. */
export function alreadyExists(name: string): RpcError {
  return new RpcError(status.ALREADY_EXISTS, `PipelineJob ${name} already exists.`);
}
