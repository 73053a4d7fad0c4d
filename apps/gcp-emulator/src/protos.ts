import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);

/** The protos the emulator serves, as shipped inside the official client packages. */
const PROTO_FILES = [
  'google/devtools/cloudbuild/v1/cloudbuild.proto',
  'google/cloud/aiplatform/v1/pipeline_service.proto',
  'google/cloud/aiplatform/v1/metadata_service.proto',
  'google/longrunning/operations.proto',
];

/**
 * proto-loader options used for every service: camelCase field names, int64 as strings, enums as
 * names, defaults filled in, oneof virtual fields present. `google.protobuf.Any` keeps `type_url`
 * (snake case) in this shape; pack Any as `{ '@type': 'type.googleapis.com/<Name>', ...fields }`.
 */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** Loaded protos: the raw package definition (shared with the Vertex side) and the grpc object. */
export interface LoadedProtos {
  packageDefinition: protoLoader.PackageDefinition;
  grpcObject: grpc.GrpcObject;
}

let cached: LoadedProtos | undefined;

/** Include directories: each client package's `build/protos` plus google-gax's (google/api, longrunning, protobuf). */
export function protoIncludeDirs(): string[] {
  const pkgDir = (name: string): string => path.dirname(require.resolve(`${name}/package.json`));
  // google-gax does not export package.json; its main is build/src/index.js.
  const gaxDir = path.resolve(path.dirname(require.resolve('google-gax')), '../..');
  return [
    path.join(pkgDir('@google-cloud/cloudbuild'), 'build/protos'),
    path.join(pkgDir('@google-cloud/aiplatform'), 'build/protos'),
    path.join(gaxDir, 'build/protos'),
  ];
}

/** Loads (once per process; ~300 ms) the Cloud Build, Vertex PipelineService / MetadataService and Operations protos. */
export function loadProtos(): LoadedProtos {
  if (!cached) {
    const packageDefinition = protoLoader.loadSync(PROTO_FILES, {
      ...PROTO_LOADER_OPTIONS,
      includeDirs: protoIncludeDirs(),
    });
    cached = { packageDefinition, grpcObject: grpc.loadPackageDefinition(packageDefinition) };
  }
  return cached;
}

/** The service definition of a fully-qualified service, e.g. `google.longrunning.Operations`. */
export function serviceDefinition(protos: LoadedProtos, fullName: string): grpc.ServiceDefinition {
  const def = protos.packageDefinition[fullName];
  if (!def || !isServiceDefinition(def))
    throw new Error(`service ${fullName} not found in the loaded protos`);
  return def;
}

function isServiceDefinition(def: unknown): def is grpc.ServiceDefinition {
  return typeof def === 'object' && def !== null && !('format' in def);
}

/** Packs a message as `google.protobuf.Any` in the proto-loader object shape. */
export function packAny(fullName: string, message: Record<string, unknown>): Record<string, unknown> {
  return { '@type': `type.googleapis.com/${fullName}`, ...message };
}
