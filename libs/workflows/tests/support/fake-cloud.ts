// Stub activities over an in-memory "cloud" for the time-skipping workflow tests: every activity the
// workflows call, recording its inputs, with behaviour a test can change per case. The image
// activities attach to the real `imageBuild` workflow through the test server's client, so the
// workflows' signalling is the real thing.
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { stillRunning, type Activities, type BuildOutcome, type JobOutcome } from '@conveyor/activities';
import {
  ErrorTypes,
  imageWorkflowIdFor,
  sweepTrials,
  type BuiltImage,
  type ImageKey,
  type TrainingRunRequest,
} from '@conveyor/contracts';
import { imageWorkflowClient } from '@conveyor/platform';

export const CONFIG_SHA = 'f'.repeat(64);
export const DIGEST = `sha256:${'d'.repeat(64)}`;

/** A build in the fake cloud. */
export interface FakeBuild {
  id: string;
  runTag: string;
  status: string;
  /** Checks left before it ends (Infinity: runs until cancelled). */
  checksLeft: number;
  /** How it ends. */
  outcome: 'SUCCESS' | 'FAILURE' | 'TIMEOUT';
  key: ImageKey;
}

/** A pipeline job in the fake cloud. */
export interface FakeJob {
  name: string;
  state: string;
  checksLeft: number;
  outcome: 'PIPELINE_STATE_SUCCEEDED' | 'PIPELINE_STATE_FAILED';
  parameters: Record<string, unknown>;
}

/** The fake cloud: its state, its knobs, and the calls the workflows made. */
export interface FakeCloud {
  /**
   * The commit every run of this cloud resolves to: unique per cloud, so its image key (and the
   * `imageBuild` workflow id) is too, and no test attaches to another test's image build.
   */
  readonly commit: string;
  readonly activities: Activities;
  /** The default behaviours, for an override that wraps one. */
  readonly defaults: Activities;
  readonly calls: Map<string, unknown[]>;
  readonly builds: FakeBuild[];
  readonly jobs: Map<string, FakeJob>;
  /** Images a lookup finds (by image workflow id). */
  readonly images: Map<string, BuiltImage>;
  /** Knobs: how new builds and jobs behave, and per-activity overrides. */
  knobs: {
    buildChecks: number;
    buildOutcome: FakeBuild['outcome'];
    jobChecks: number;
    jobOutcome: FakeJob['outcome'];
    /** Metrics of a finished job from its parameters. */
    metrics: (parameters: Record<string, unknown>) => Record<string, number>;
    /** Whether a job with these parameters fails (on top of `jobOutcome`). */
    jobFails: (parameters: Record<string, unknown>) => boolean;
    /** Whether evaluation blesses a job's model. */
    blessed: (parameters: Record<string, unknown>) => boolean;
  };
  /** Replace one activity's behaviour (the call is still recorded). */
  override<K extends keyof Activities>(name: K, fn: Activities[K]): void;
  count(name: keyof Activities): number;
}

/** The image key of a pipeline at a commit (the fake config never changes). */
export function keyOf(pipeline: string, commit: string): ImageKey {
  return { pipeline, commit, configSha256: CONFIG_SHA, repository: 'reg' };
}

let clouds = 0;

/**
 * Builds the fake cloud for a worker on `taskQueue` of `client`'s server. `pollMs` is how long a
 * "still running" check of a build and of a job waits before the next.
 */
export function fakeCloud(
  client: Client,
  taskQueue: string,
  pollMs: { build: number; job: number },
): FakeCloud {
  const commit = (++clouds).toString(16).padStart(8, '0') + randomBytes(16).toString('hex');
  const calls = new Map<string, unknown[]>();
  const builds: FakeBuild[] = [];
  const jobs = new Map<string, FakeJob>();
  const images = new Map<string, BuiltImage>();
  const overrides = new Map<string, (...args: never[]) => unknown>();
  const imageClient = imageWorkflowClient(client, taskQueue);
  const knobs: FakeCloud['knobs'] = {
    buildChecks: 2,
    buildOutcome: 'SUCCESS',
    jobChecks: 2,
    jobOutcome: 'PIPELINE_STATE_SUCCEEDED',
    metrics: () => ({ accuracy: 0.9 }),
    jobFails: () => false,
    blessed: () => true,
  };

  const buildOutcome = (b: FakeBuild): BuildOutcome => ({
    id: b.id,
    status: b.status,
    logUrl: `https://log/${b.id}`,
    steps: [{ id: 'build', status: b.status === 'FAILURE' ? 'FAILURE' : b.status }],
    failedStep: b.status === 'FAILURE' ? 'build' : undefined,
    statusDetail: '',
    image: b.status === 'SUCCESS' ? { uri: `reg/tiny:${commit}`, digest: DIGEST } : undefined,
    durationMs: 1000,
  });
  const jobOutcome = (j: FakeJob): JobOutcome => ({
    name: j.name,
    state: j.state,
    tasks: [{ name: 'train', state: j.state.replace('PIPELINE_STATE_', '') }],
    failedTask: j.state === 'PIPELINE_STATE_FAILED' ? { name: 'train', error: 'diverged' } : undefined,
    durationMs: 2000,
  });

  const base: Activities = {
    async validateRequest(request: TrainingRunRequest) {
      return { parameters: { ...request.parameters, ...(request.promote ? {} : { push: false }) } };
    },
    async resolveCommit(source) {
      return source.commit ?? commit;
    },
    async findImage(input) {
      const key = keyOf(input.pipeline, input.source.commit);
      const workflowId = imageWorkflowIdFor(key);
      return { key, workflowId, image: input.lookup ? images.get(workflowId) : undefined };
    },
    async requestImage(input) {
      return imageClient.subscribe(input.workflowId, input.build, input.subscriber);
    },
    async releaseImage(input) {
      await imageClient.unsubscribe(input.workflowId, input.subscriber);
    },
    async startBuild(input) {
      const existing = builds.find((b) => b.runTag === input.runTag);
      if (existing) return buildOutcome(existing);
      const build: FakeBuild = {
        id: `b${builds.length + 1}`,
        runTag: input.runTag,
        status: 'WORKING',
        checksLeft: knobs.buildChecks,
        outcome: knobs.buildOutcome,
        key: input.key,
      };
      builds.push(build);
      return buildOutcome(build);
    },
    async checkBuild(input) {
      const b = builds.find((x) => x.id === input.buildId);
      if (!b) throw ApplicationFailure.nonRetryable(`no build ${input.buildId}`, ErrorTypes.NotFound);
      if (b.status === 'WORKING' && --b.checksLeft <= 0) {
        b.status = b.outcome;
        if (b.outcome === 'SUCCESS') {
          const out = buildOutcome(b);
          images.set(imageWorkflowIdFor(b.key), {
            uri: out.image?.uri ?? '',
            digest: DIGEST,
            buildId: b.id,
            logUrl: out.logUrl,
            reused: true,
          });
        }
      }
      if (b.status === 'WORKING') throw stillRunning(`build ${b.id} WORKING`, {}, pollMs.build);
      return buildOutcome(b);
    },
    async cancelBuild(input) {
      for (const b of builds) {
        if ((b.runTag === input.runTag || b.id === input.buildId) && b.status === 'WORKING')
          b.status = 'CANCELLED';
      }
    },
    async compileSpec() {
      return { json: '{}', sha256: 'a'.repeat(64) };
    },
    async uploadSpec(spec) {
      return { uri: `gs://b/specs/${spec.sha256}.json`, sha256: spec.sha256 };
    },
    async submitPipelineJob(input) {
      const name = `projects/p/locations/r/pipelineJobs/${input.pipelineJobId}`;
      let job = jobs.get(name);
      if (!job) {
        job = {
          name,
          state: 'PIPELINE_STATE_RUNNING',
          checksLeft: knobs.jobChecks,
          outcome: knobs.jobFails(input.parameters) ? 'PIPELINE_STATE_FAILED' : knobs.jobOutcome,
          parameters: input.parameters,
        };
        jobs.set(name, job);
      }
      return jobOutcome(job);
    },
    async checkPipelineJob(input) {
      const j = jobs.get(input.name);
      if (!j) throw ApplicationFailure.nonRetryable(`no job ${input.name}`, ErrorTypes.NotFound);
      if (j.state === 'PIPELINE_STATE_RUNNING' && --j.checksLeft <= 0) j.state = j.outcome;
      if (j.state === 'PIPELINE_STATE_RUNNING') throw stillRunning(`job ${j.name} RUNNING`, {}, pollMs.job);
      return jobOutcome(j);
    },
    async cancelPipelineJob(input) {
      const j = jobs.get(input.name);
      if (!j) return { existed: false };
      if (j.state === 'PIPELINE_STATE_RUNNING') j.state = 'PIPELINE_STATE_CANCELLED';
      return { existed: true };
    },
    async collectOutputs(input) {
      const j = jobs.get(input.name);
      return {
        metrics: knobs.metrics(j?.parameters ?? {}),
        modelArtifactUri: `gs://b/runs/${input.name.split('/').pop()}/model`,
        blessed: knobs.blessed(j?.parameters ?? {}),
      };
    },
    async writeReport(result) {
      return {
        htmlUri: `gs://b/${result.runId}/report.html`,
        markdownUri: `gs://b/${result.runId}/report.md`,
        epochs: 0,
      };
    },
    async promoteModel(input) {
      return { uri: `gs://serving/${input.pipeline}/${input.version}`, version: input.version };
    },
    async planSweep(request) {
      return {
        trials: sweepTrials(request.grid, request.random).map((t) => ({ ...request.parameters, ...t })),
      };
    },
    async writeSweepReport(result) {
      return {
        htmlUri: `gs://b/sweeps/${result.sweepId}/report.html`,
        markdownUri: `gs://b/sweeps/${result.sweepId}/report.md`,
      };
    },
  } as Activities;

  const activities = Object.fromEntries(
    Object.entries(base).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        calls.set(name, [...(calls.get(name) ?? []), args[0]]);
        const impl = (overrides.get(name) ?? fn) as (...a: unknown[]) => Promise<unknown>;
        return impl(...args);
      },
    ]),
  ) as Activities;

  return {
    commit,
    activities,
    defaults: base,
    calls,
    builds,
    jobs,
    images,
    knobs,
    override(name, fn) {
      overrides.set(name, fn as never);
    },
    count(name) {
      return calls.get(name)?.length ?? 0;
    },
  };
}
