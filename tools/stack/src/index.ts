export {
  stackConfigFromEnv,
  localEnvironment,
  LOCAL_WEBHOOK_SECRET,
  StackConfigError,
  type StackConfig,
} from './config.ts';
export {
  ensureBinaries,
  ensureTestServer,
  ensureCompose,
  locateTemporal,
  temporalVersion,
  InstallError,
  PINS,
  type Binaries,
  type InstallOptions,
} from './install.ts';
export {
  STACK_SEARCH_ATTRIBUTES,
  STACK_DYNAMIC_CONFIG,
  dynamicConfigArgs,
  type Health,
  type ServiceSpec,
} from './services.ts';
export {
  stackDown,
  localStackRunning,
  stackStatus,
  stackUp,
  StackError,
  type ServiceStatus,
  type StackContext,
  type UpResult,
} from './stack.ts';
export { ensureSearchAttributes } from './search-attributes.ts';
export { freePort, freePorts } from './process.ts';
