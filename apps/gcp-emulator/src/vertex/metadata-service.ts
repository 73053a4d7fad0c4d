/**
 * The part of google.cloud.aiplatform.v1.MetadataService that pipelines need: CreateArtifact (so a
 * client can hand a pipeline an input artifact by id, `runtimeConfig.inputArtifacts`) and GetArtifact
 * (the artifacts named in `taskDetails` can be read back). Only the `default` metadata store exists.
 * Every other method answers UNIMPLEMENTED.
 */
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type * as grpc from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import type { EmulatorContext } from '../context.ts';
import { implementService } from '../grpc-handlers.ts';
import { RpcError } from '../rpc-error.ts';
import { invalidArgument } from './errors.ts';
import type { ArtifactRecord } from './job-model.ts';
import type { ArtifactStore } from './metadata-records.ts';
import { isObject, structToJson, type ProtoStruct } from './struct.ts';
import { artifactView } from './views.ts';

const SERVICE = 'google.cloud.aiplatform.v1.MetadataService';
/** Vertex: 4-128 characters of [a-z0-9-]. */
const ARTIFACT_ID = /^[a-z0-9-]{4,128}$/;
const STORE = /^projects\/([^/]+)\/locations\/([^/]+)\/metadataStores\/default$/;

/** Adds the MetadataService to `server`, over the artifacts pipelines produce. */
export function registerMetadataService(
  server: grpc.Server,
  context: EmulatorContext,
  packageDefinition: PackageDefinition,
  artifacts: ArtifactStore,
): void {
  const definition = packageDefinition[SERVICE] as grpc.ServiceDefinition | undefined;
  if (!definition) throw new Error(`${SERVICE} is not in the loaded protos`);
  const impl = implementService(
    'MetadataService',
    definition,
    {
      CreateArtifact: async (req) => {
        const parent = String(req['parent'] ?? '');
        const store = STORE.exec(parent);
        if (!store?.[2]) {
          throw invalidArgument(
            `Invalid parent "${parent}": expected projects/{project}/locations/{location}/metadataStores/default.`,
          );
        }
        const given = String(req['artifactId'] ?? '');
        if (given && !ARTIFACT_ID.test(given)) {
          throw invalidArgument(`Invalid artifactId "${given}": it must be 4-128 characters of [a-z0-9-].`);
        }
        const id = given || randomUUID();
        const location = store[2];
        if (artifacts.get(location, id)) {
          throw new RpcError(status.ALREADY_EXISTS, `Artifact ${parent}/artifacts/${id} already exists.`);
        }
        const a = isObject(req['artifact']) ? req['artifact'] : {};
        const record: ArtifactRecord = {
          name: `${parent}/artifacts/${id}`,
          displayName: typeof a['displayName'] === 'string' ? a['displayName'] : '',
          uri: typeof a['uri'] === 'string' ? a['uri'] : '',
          schemaTitle:
            typeof a['schemaTitle'] === 'string' && a['schemaTitle'] ? a['schemaTitle'] : 'system.Artifact',
          schemaVersion:
            typeof a['schemaVersion'] === 'string' && a['schemaVersion'] ? a['schemaVersion'] : '0.0.1',
          metadata: structToJson(a['metadata'] as ProtoStruct | undefined),
        };
        artifacts.register(location, [record]);
        return artifactView(record);
      },
      GetArtifact: async (req) => {
        const name = String(req['name'] ?? '');
        const m = /^projects\/[^/]+\/locations\/([^/]+)\/metadataStores\/default\/artifacts\/([^/]+)$/.exec(
          name,
        );
        const found = m?.[1] && m[2] ? artifacts.get(m[1], m[2]) : undefined;
        if (!found) throw new RpcError(status.NOT_FOUND, `Artifact ${name} not found.`);
        return artifactView(found);
      },
    },
    { faults: context.faults, log: context.log },
  );
  server.addService(definition, impl);
}
