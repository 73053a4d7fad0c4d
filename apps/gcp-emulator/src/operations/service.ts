import type * as grpc from '@grpc/grpc-js';
import type { EmulatorContext, OperationView } from '../context.ts';
import { implementService } from '../grpc-handlers.ts';
import { serviceDefinition, type LoadedProtos } from '../protos.ts';
import { rpcError } from '../rpc-error.ts';

/** WaitOperation polls at this interval: cheap, and well under the client's default poll delay. */
const WAIT_POLL_MS = 100;

/**
 * google.longrunning.Operations over every registered operation source: GetOperation,
 * ListOperations (no filter), CancelOperation, WaitOperation; DeleteOperation answers UNIMPLEMENTED
 * (as Cloud Build does).
 */
export function registerOperationsService(
  server: grpc.Server,
  context: EmulatorContext,
  protos: LoadedProtos,
): void {
  const definition = serviceDefinition(protos, 'google.longrunning.Operations');
  const find = (name: unknown): OperationView => {
    const op = typeof name === 'string' ? context.operations.get(name) : undefined;
    if (!op) throw rpcError('NOT_FOUND', `operation ${String(name)} not found`);
    return op;
  };
  server.addService(
    definition,
    implementService(
      'Operations',
      definition,
      {
        GetOperation: async (request) => find(request.name),
        ListOperations: async (request) => {
          const prefix = typeof request.name === 'string' ? request.name : '';
          const ops = context.operations
            .list()
            .filter((name) => name.startsWith(prefix))
            .map((name) => context.operations.get(name))
            .filter((op): op is OperationView => op !== undefined);
          return { operations: ops, nextPageToken: '' };
        },
        CancelOperation: async (request) => {
          find(request.name);
          context.operations.cancel(String(request.name));
          return {};
        },
        WaitOperation: async (request) => {
          const timeout = request.timeout as { seconds?: string; nanos?: number } | null | undefined;
          // Without a timeout, wait at most a minute: below the clients' default RPC deadline.
          const ms = timeout ? Number(timeout.seconds ?? 0) * 1000 + (timeout.nanos ?? 0) / 1e6 : 60_000;
          const deadline = Date.now() + ms;
          let op = find(request.name);
          while (!op.done && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
            op = find(request.name);
          }
          return op;
        },
      },
      context,
    ),
  );
}
