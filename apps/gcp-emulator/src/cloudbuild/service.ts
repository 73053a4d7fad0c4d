import type * as grpc from '@grpc/grpc-js';
import type { EmulatorContext } from '../context.ts';
import { implementService } from '../grpc-handlers.ts';
import { serviceDefinition, type LoadedProtos } from '../protos.ts';

/** Registers google.devtools.cloudbuild.v1.CloudBuild. Work in progress: all methods UNIMPLEMENTED. */
export function registerCloudBuildService(
  server: grpc.Server,
  context: EmulatorContext,
  protos: LoadedProtos,
): { stop(): Promise<void> } {
  const definition = serviceDefinition(protos, 'google.devtools.cloudbuild.v1.CloudBuild');
  server.addService(definition, implementService('CloudBuild', definition, {}, context));
  return { stop: async () => undefined };
}
