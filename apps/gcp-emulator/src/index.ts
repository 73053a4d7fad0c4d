export { startEmulator } from './server.ts';
export type { EmulatorOptions, RunningEmulator } from './server.ts';
export type {
  EmulatorContext,
  FaultConfig,
  FaultInjector,
  FaultRule,
  GcsClient,
  ImageStore,
  LocalImage,
  OperationRegistry,
  OperationSource,
  OperationView,
  StateStore,
} from './context.ts';
export { faultConfigSchema } from './faults/fault-config.ts';
export { RpcError, rpcError } from './rpc-error.ts';
