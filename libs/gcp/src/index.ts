export {
  parseGrpcEndpoint,
  gapicClientOptions,
  type GrpcEndpoint,
  type GapicClientOptions,
} from './endpoints.ts';
export { GcpError, translateGrpcError, translateHttpError, callGrpc, type GcpErrorKind } from './errors.ts';
export {
  CloudBuild,
  toBuildInfo,
  terminalBuildStatuses,
  type BuildInfo,
  type BuildStepInfo,
  type BuildRequest,
  type CloudBuildOptions,
} from './cloud-build.ts';
export { buildFromConfig } from './build-config.ts';
export {
  VertexPipelines,
  toPipelineJobInfo,
  toProtoValue,
  terminalPipelineStates,
  type PipelineJobInfo,
  type TaskInfo,
  type ArtifactInfo,
  type VertexOptions,
  type CreatePipelineJobInput,
} from './vertex.ts';
export { ObjectStore, type ObjectStoreOptions } from './storage.ts';
export { parseGsUri, parseGcsBucket } from './uris.ts';
export { ImageRegistry, parseImageUri, type ImageRegistryOptions } from './registry.ts';
