/**
 * google.cloud.aiplatform.v1.PipelineService on the emulator's gRPC server: Create/Get/List/Cancel/
 * DeletePipelineJob; every other method answers UNIMPLEMENTED. Each call first passes fault
 * injection as `PipelineService/<Method>`. The MetadataService's artifact calls come along.
 */
import type * as grpc from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import type { EmulatorContext } from '../context.ts';
import { implementService } from '../grpc-handlers.ts';
import { PipelineJobs, type PipelineJobInput, type PipelineJobsOptions } from './jobs.ts';
import { ArtifactStore } from './metadata-records.ts';
import { registerMetadataService } from './metadata-service.ts';
import { jobView } from './views.ts';

const SERVICE = 'google.cloud.aiplatform.v1.PipelineService';

/** What registerPipelineService returns: `stop` cancels running jobs (their processes end). */
export interface PipelineServiceHandle {
  jobs: PipelineJobs;
  stop(): Promise<void>;
}

/**
 * Adds the PipelineService to `server`, and the MetadataService over the same artifacts (the
 * artifacts tasks produce and the ones `runtimeConfig.inputArtifacts` name live in one store).
 */
export function registerPipelineService(
  server: grpc.Server,
  context: EmulatorContext,
  packageDefinition: PackageDefinition,
  options: Omit<PipelineJobsOptions, 'artifacts'> = {},
): PipelineServiceHandle {
  const definition = packageDefinition[SERVICE] as grpc.ServiceDefinition | undefined;
  if (!definition) throw new Error(`${SERVICE} is not in the loaded protos`);
  const artifacts = new ArtifactStore(context.state);
  registerMetadataService(server, context, packageDefinition, artifacts);
  const jobs = new PipelineJobs(context, { ...options, artifacts });
  const str = (value: unknown): string => (typeof value === 'string' ? value : '');
  const impl = implementService(
    'PipelineService',
    definition,
    {
      CreatePipelineJob: async (req) =>
        jobView(
          jobs.create(
            str(req['parent']),
            req['pipelineJob'] as PipelineJobInput | null,
            str(req['pipelineJobId']),
          ),
        ),
      GetPipelineJob: async (req) => jobView(jobs.get(str(req['name']))),
      ListPipelineJobs: async (req) => {
        const page = jobs.list(
          str(req['parent']),
          str(req['filter']),
          str(req['orderBy']),
          Number(req['pageSize'] ?? 0),
          str(req['pageToken']),
        );
        return { pipelineJobs: page.jobs.map((j) => jobView(j)), nextPageToken: page.next };
      },
      CancelPipelineJob: async (req) => {
        jobs.cancel(str(req['name']));
        return {};
      },
      DeletePipelineJob: async (req) => {
        const job = jobs.delete(str(req['name']));
        // Deletion is immediate here; the Operation is born done with an Empty response.
        return {
          name: `${job.name}/operations/delete-${Date.now()}`,
          done: true,
          metadata: { '@type': 'type.googleapis.com/google.cloud.aiplatform.v1.DeleteOperationMetadata' },
          response: { '@type': 'type.googleapis.com/google.protobuf.Empty' },
        };
      },
    },
    { faults: context.faults, log: context.log },
  );
  server.addService(definition, impl);
  return { jobs, stop: () => jobs.stop() };
}
