// The outside world of the worker-side benchmarks (wait-cost, scale): no builds, no GCS, and a Vertex
// whose jobs succeed `duration_s` seconds after creation. Real Temporal, real trainingRun, real
// activities over these fakes: what is measured is Temporal and the worker, not the cloud.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConventions } from '@conveyor/pipeline';
import type { ActivityDeps, PipelineApi } from '@conveyor/activities';
import { GcpError, type PipelineJobInfo } from '@conveyor/gcp';

interface Job {
  readonly created: number;
  readonly durationMs: number;
  cancelled: boolean;
}

/** The fake Vertex's state: in memory (one process) or in a directory (several worker processes). */
interface JobStore {
  /** Records a new job; false when one with that name exists (Vertex's ALREADY_EXISTS). */
  create(name: string, job: Job): boolean;
  get(name: string): Job | undefined;
  update(name: string, job: Job): void;
}

function view(name: string, job: Job | undefined): PipelineJobInfo {
  if (!job) throw new GcpError('VertexPipelines.getPipelineJob', 'not-found', 'NOT_FOUND', name, undefined);
  const done = Date.now() - job.created >= job.durationMs;
  const state = job.cancelled
    ? 'PIPELINE_STATE_CANCELLED'
    : done
      ? 'PIPELINE_STATE_SUCCEEDED'
      : 'PIPELINE_STATE_RUNNING';
  const task = job.cancelled ? 'CANCELLED' : done ? 'SUCCEEDED' : 'RUNNING';
  return {
    name,
    state,
    tasks: [{ name: 'train', state: task, outputs: {}, executionMetadata: {}, root: false }],
    startTime: job.created,
    endTime: done ? job.created + job.durationMs : undefined,
  };
}

function vertexOver(store: JobStore): PipelineApi & { gets: Map<string, number> } {
  const gets = new Map<string, number>();
  const jobName = (id: string) => `projects/bench/locations/us-central1/pipelineJobs/${id}`;
  return {
    gets,
    jobName,
    async createPipelineJob(input) {
      const name = jobName(input.pipelineJobId);
      const seconds = Number(input.runtimeConfig.parameterValues?.['duration_s'] ?? 0);
      if (!store.create(name, { created: Date.now(), durationMs: seconds * 1000, cancelled: false })) {
        throw new GcpError(
          'VertexPipelines.createPipelineJob',
          'already-exists',
          'ALREADY_EXISTS',
          name,
          undefined,
        );
      }
      return view(name, store.get(name));
    },
    async getPipelineJob(name) {
      gets.set(name, (gets.get(name) ?? 0) + 1);
      return view(name, store.get(name));
    },
    async cancelPipelineJob(name) {
      const job = store.get(name);
      if (job) store.update(name, { ...job, cancelled: true });
    },
  };
}

/** A fake Vertex in this process's memory; `gets` counts GetPipelineJob calls per job. */
export function memoryVertex(): PipelineApi & { gets: Map<string, number> } {
  const jobs = new Map<string, Job>();
  return vertexOver({
    create: (name, job) => !jobs.has(name) && Boolean(jobs.set(name, job)),
    get: (name) => jobs.get(name),
    update: (name, job) => void jobs.set(name, job),
  });
}

/**
 * A fake Vertex shared by processes through `dir`: one file per job, created exclusively (`wx`), so
 * a second create of one job fails like Vertex's ALREADY_EXISTS; every successful create is also a
 * line of `creates.log`, which the scale benchmark counts.
 */
export function directoryVertex(dir: string): PipelineApi {
  const file = (name: string) => join(dir, `${name.split('/').at(-1)}.json`);
  return vertexOver({
    create: (name, job) => {
      try {
        writeFileSync(file(name), JSON.stringify(job), { flag: 'wx' });
      } catch (e: unknown) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw e;
      }
      appendFileSync(join(dir, 'creates.log'), `${name}\n`);
      return true;
    },
    get: (name) => {
      try {
        return JSON.parse(readFileSync(file(name), 'utf8')) as Job;
      } catch {
        return undefined;
      }
    },
    update: (name, job) => writeFileSync(file(name), JSON.stringify(job)),
  });
}

const noBuilds = () => Promise.reject(new Error('no builds in this benchmark'));

/** Activity dependencies over `pipelines`; runs use a precompiled spec (no build, no compile). */
export function benchActivityDeps(pipelines: PipelineApi, pollIntervalMs: number): ActivityDeps {
  return {
    builds: {
      createBuild: noBuilds,
      getBuild: noBuilds,
      listBuildsByTag: async () => [],
      cancelBuild: noBuilds,
    },
    pipelines,
    store: {
      writeIfAbsent: async () => true,
      write: async () => undefined,
      read: async () => Buffer.from('{}'),
      list: async () => [],
      copy: async () => undefined,
    },
    registry: { hasManifest: async () => true },
    images: { subscribe: noBuilds, unsubscribe: async () => undefined },
    catalog: {
      has: () => true,
      conventions: (name) => defaultConventions(name),
      typeParameters: (_n, v) => v as never,
      typeGivenParameters: (_n, v) => v as never,
      compile: () => ({ json: '{}', sha256: '' }),
      typeSpecParameters: (_s, v) => v as never,
      toJob: (_s, values, dir) => ({
        pipelineSpec: {},
        runtimeConfig: { gcsOutputDirectory: dir, parameterValues: values },
      }),
    },
    settings: {
      projectId: 'bench',
      region: 'us-central1',
      pipelineRoot: 'gs://bench/root',
      imageRepository: 'bench',
      pollIntervalMs,
    },
  };
}
