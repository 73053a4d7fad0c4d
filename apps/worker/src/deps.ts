import type { Client } from '@temporalio/client';
import type { ActivityDeps, PipelineCatalog } from '@conveyor/activities';
import {
  CloudBuild,
  ImageRegistry,
  ObjectStore,
  parseGcsBucket,
  parseGrpcEndpoint,
  VertexPipelines,
} from '@conveyor/gcp';
import { imageWorkflowClient } from '@conveyor/platform';
import type { WorkerConfig } from './config.ts';

/** The Google clients and settings behind the activities, plus a way to close the clients. */
export interface WorkerDeps {
  readonly activityDeps: ActivityDeps;
  close(): Promise<void>;
}

/**
 * Builds the Google clients from config (emulators when endpoints are set, Google Cloud otherwise);
 * `client` attaches runs to image builds.
 */
export async function createWorkerDeps(
  config: WorkerConfig,
  catalog: PipelineCatalog,
  client: Client,
): Promise<WorkerDeps> {
  const builds = new CloudBuild({
    projectId: config.projectId,
    endpoint: parseGrpcEndpoint(config.cloudBuildEndpoint),
  });
  const pipelines = new VertexPipelines({
    projectId: config.projectId,
    region: config.region,
    endpoint: parseGrpcEndpoint(config.aiplatformEndpoint),
  });
  const store = new ObjectStore({ projectId: config.projectId, endpoint: config.storageEndpoint });
  // Local mode: the fake GCS starts empty; on Google Cloud the bucket is provisioned.
  if (config.storageEndpoint) await store.ensureBucket(parseGcsBucket(config.pipelineRoot));
  return {
    activityDeps: {
      builds,
      pipelines,
      store,
      registry: new ImageRegistry({ endpoint: config.registryEndpoint }),
      images: imageWorkflowClient(client, config.taskQueue),
      catalog,
      settings: {
        projectId: config.projectId,
        region: config.region,
        pipelineRoot: config.pipelineRoot,
        serviceAccount: config.serviceAccount,
        imageRepository: config.imageRepository,
        pollIntervalMs: config.pollIntervalMs,
        allowedBuckets: config.allowedBuckets,
        pipelineSettings: config.pipelineSettings,
      },
    },
    async close() {
      await Promise.allSettled([builds.close(), pipelines.close()]);
    },
  };
}
