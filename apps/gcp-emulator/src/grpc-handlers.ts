import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { FaultInjector } from './context.ts';
import { RpcError, messageOf } from './rpc-error.ts';

/**
 * A unary handler written as an async function: return the response object (proto-loader shape),
 * throw `RpcError` for a specific status. Requests are typed loosely on purpose: the proto is the
 * schema, and handlers validate what they read.
 */
export type UnaryHandler = (
  request: Record<string, unknown>,
  call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>,
) => Promise<unknown>;

/**
 * Builds a grpc-js implementation for every method of `definition`: each call first goes through
 * fault injection (`<serviceName>/<Method>`), then the handler; methods without a handler answer
 * UNIMPLEMENTED (naming the method), errors other than `RpcError` answer INTERNAL.
 * @param serviceName short name used for fault keys and logs, e.g. `CloudBuild`.
 */
export function implementService(
  serviceName: string,
  definition: grpc.ServiceDefinition,
  handlers: Record<string, UnaryHandler>,
  deps: { faults: FaultInjector; log: Logger },
): grpc.UntypedServiceImplementation {
  const impl: grpc.UntypedServiceImplementation = {};
  for (const method of Object.keys(definition)) {
    const key = `${serviceName}/${method}`;
    const handler = handlers[method];
    impl[method] = (
      call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ): void => {
      void (async (): Promise<void> => {
        try {
          await deps.faults.apply(key);
          if (!handler)
            throw new RpcError(grpc.status.UNIMPLEMENTED, `${key} is not implemented by the emulator`);
          callback(null, await handler(call.request, call));
        } catch (e: unknown) {
          const error = toServiceError(e);
          deps.log.debug({ rpc: key, code: grpc.status[error.code], details: error.details }, 'rpc failed');
          callback(error);
        }
      })();
    };
  }
  return impl;
}

/** Maps anything thrown to a gRPC error: `RpcError` (or `{code, details}`) keeps its code, the rest is INTERNAL. */
export function toServiceError(e: unknown): grpc.ServiceError {
  const code = e instanceof RpcError ? e.code : grpc.status.INTERNAL;
  const details = messageOf(e);
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}
