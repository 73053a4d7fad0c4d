// End to end (issue 4): the compiled penguins pipeline, in an image holding the penguins bundle, runs on
// the Vertex emulator through the official @google-cloud/aiplatform client. A good model (10 epochs) is
// evaluated and pushed to the serving root; a worse one (1 epoch, lr 0.001) afterwards is not blessed, so
// the pusher's condition does not hold; a good one with push=false (a sweep trial) is not pushed either.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { helpers, type protos, v1 } from '@google-cloud/aiplatform';
import { CloudBuildClient } from '@google-cloud/cloudbuild';
import { Storage } from '@google-cloud/storage';
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@conveyor/gcp-emulator';
import { compilePipeline, readPipelineSpec, toRuntimeConfig, typeParameters } from '@conveyor/pipeline';
import { ensureBinaries, stackConfigFromEnv } from '@conveyor/stack';
import { uniqueName } from '@conveyor/testing';
import { penguins } from '../src/penguins.ts';
import { repoPath, repoRoot } from '@conveyor/platform/repo-root';
import { freePort } from '@conveyor/stack';

const exec = promisify(execFile);
const BUNDLE_SCRIPT = repoPath('apps', 'penguins', 'scripts', 'bundle.mjs');
const PROJECT = 'conveyor-test';
const PARENT = `projects/${PROJECT}/locations/us-central1`;
const IMAGE = 'local/penguins:e2e';
// A run takes a few seconds (10 epochs train in ~0.5 s; each task is a Node process plus GCS staging);
// 120 s only stops a hung job on a machine shared by several agents.
const JOB_TIMEOUT_MS = 120_000;

type Job = protos.google.cloud.aiplatform.v1.IPipelineJob;
type Value = protos.google.protobuf.IValue;

/**
 * A fake-gcs-server of this file's own, in memory: other test files restart the shared stack's GCS,
 * which would pull the serving root away between the two runs. The binary is the stack's pinned one.
 */
async function startOwnGcs(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const config = stackConfigFromEnv(process.env, repoRoot);
  const { fakeGcsServer } = await ensureBinaries({ cacheDir: config.cacheDir, repoRoot });
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // prettier-ignore
  const child = spawn(fakeGcsServer, [
    '-scheme', 'http', '-host', '127.0.0.1', '-port', String(port), '-backend', 'memory',
    '-external-url', endpoint, '-public-host', `127.0.0.1:${port}`, '-log-level', 'error',
  ], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // 15 s: it listens within a second; the bound covers a loaded machine.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await fetch(`${endpoint}/storage/v1/b`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`fake-gcs-server on port ${port} did not start (exit code ${child.exitCode})`);
    }
    await sleep(100);
  }
  return {
    endpoint,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** `docker build` through the emulator's Cloud Build: the bundle becomes an image in its local store. */
async function buildImage(client: CloudBuildClient, contextDir: string): Promise<string> {
  const [operation] = await client.createBuild({
    projectId: PROJECT,
    build: {
      steps: [{ name: 'gcr.io/cloud-builders/docker', args: ['build', '-t', IMAGE, contextDir] }],
      images: [IMAGE],
    },
  });
  const [build] = await operation.promise();
  const digest = build.results?.images?.[0]?.digest;
  if (!digest) throw new Error(`the image build reported no digest: ${JSON.stringify(build.results)}`);
  return digest;
}

const TERMINAL = new Set(['PIPELINE_STATE_SUCCEEDED', 'PIPELINE_STATE_FAILED', 'PIPELINE_STATE_CANCELLED']);

/** A task of the job by name. */
function task(job: Job, name: string): protos.google.cloud.aiplatform.v1.IPipelineTaskDetail {
  const found = job.jobDetail?.taskDetails?.find((t) => t.taskName === name);
  if (!found)
    throw new Error(`no task ${name} in ${job.jobDetail?.taskDetails?.map((t) => t.taskName).join(', ')}`);
  return found;
}

/** An output parameter of a task (Vertex records them in the execution metadata as `output:<name>`). */
function outputParam(job: Job, taskName: string, name: string): string | null | undefined {
  return task(job, taskName).execution?.metadata?.fields?.[`output:${name}`]?.stringValue;
}

/** The evaluator's Metrics artifact metadata. */
function evalMetrics(job: Job): Record<string, Value> {
  return task(job, 'evaluator').outputs?.['metrics']?.artifacts?.[0]?.metadata?.fields ?? {};
}

function seconds(job: Job): number {
  const ms = (t: protos.google.protobuf.ITimestamp | null | undefined): number =>
    Number(t?.seconds) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
  return (ms(job.endTime) - ms(job.startTime)) / 1000;
}

describe('penguins on the Vertex emulator', () => {
  let dir = '';
  let gcs: { endpoint: string; stop(): Promise<void> } | undefined;
  let emulator: RunningEmulator | undefined;
  let vertex: InstanceType<typeof v1.PipelineServiceClient> | undefined;
  let builds: CloudBuildClient | undefined;
  let storage: Storage;
  let specJson = '';
  let bucket = '';
  let servingRoot = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'penguins-vertex-'));
    const bundleDir = join(dir, 'app');
    // 60 s: bundling takes ~5 s; the bound only stops a hung esbuild.
    const [, ownGcs] = await Promise.all([
      exec(process.execPath, [BUNDLE_SCRIPT, bundleDir], { timeout: 60_000 }),
      startOwnGcs(),
    ]);
    gcs = ownGcs;
    emulator = await startEmulator({
      port: 0,
      adminPort: 0,
      dataDir: join(dir, 'emulator'),
      gcsEndpoint: gcs.endpoint,
      projectId: PROJECT,
      log: pino({ level: process.env['LOG_LEVEL'] ?? 'warn' }),
    });
    const clientOptions = {
      apiEndpoint: '127.0.0.1',
      port: emulator.port,
      sslCreds: grpc.credentials.createInsecure(),
      universeDomain: 'googleapis.com',
    };
    vertex = new v1.PipelineServiceClient(clientOptions);
    builds = new CloudBuildClient(clientOptions);
    const digest = await buildImage(builds, bundleDir);
    // Digest-pinned, as a real run compiles it after its build.
    specJson = compilePipeline(penguins, { image: `local/penguins@${digest}` }).json;

    storage = new Storage({
      apiEndpoint: gcs.endpoint,
      projectId: PROJECT,
      useAuthWithCustomEndpoint: false,
    });
    bucket = uniqueName('penguins-e2e');
    await storage.createBucket(bucket);
    servingRoot = `gs://${bucket}/serving`;
  });

  afterAll(async () => {
    await vertex?.close();
    await builds?.close();
    await emulator?.stop();
    await gcs?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Submits the compiled spec with these values (typed by the pipeline lib) and waits for the end. */
  async function run(values: Record<string, unknown>): Promise<{ job: Job; wallSeconds: number }> {
    if (!vertex) throw new Error('no emulator');
    const id = uniqueName('penguins');
    const read = readPipelineSpec(specJson);
    const config = toRuntimeConfig(read, typeParameters(read.parameters, { ...values, model_version: id }), {
      gcsOutputDirectory: `gs://${bucket}/root`,
    });
    if (!('parameterValues' in config)) throw new Error('expected a 2.1.0 runtimeConfig');
    const started = Date.now();
    const [created] = await vertex.createPipelineJob({
      parent: PARENT,
      pipelineJobId: id,
      pipelineJob: {
        displayName: id,
        // Struct and Values: the client sends a plain object as an empty Struct.
        pipelineSpec: (helpers.toValue(JSON.parse(specJson) as object) as Value).structValue ?? null,
        runtimeConfig: {
          gcsOutputDirectory: config.gcsOutputDirectory,
          parameterValues: Object.fromEntries(
            Object.entries(config.parameterValues).map(([k, v]) => [k, helpers.toValue(v as never) as Value]),
          ),
        },
      },
    });
    const deadline = started + JOB_TIMEOUT_MS;
    for (;;) {
      const [job] = await vertex.getPipelineJob({ name: created.name ?? '' });
      if (TERMINAL.has(String(job.state))) return { job, wallSeconds: (Date.now() - started) / 1000 };
      if (Date.now() > deadline)
        throw new Error(`job ${id} still ${String(job.state)} after ${JOB_TIMEOUT_MS} ms`);
      // 500 ms: the job takes seconds; finer polling only loads the shared machine.
      await sleep(500);
    }
  }

  async function servedObjects(): Promise<string[]> {
    const [files] = await storage.bucket(bucket).getFiles({ prefix: 'serving/penguins/' });
    return files.map((f) => f.name).sort();
  }

  async function latest(): Promise<{ version: string; uri: string; accuracy?: number }> {
    const [contents] = await storage.bucket(bucket).file('serving/penguins/LATEST').download();
    return JSON.parse(contents.toString('utf8')) as { version: string; uri: string; accuracy?: number };
  }

  it(
    'trains a good model and pushes it; a worse model afterwards is not pushed, nor a good one with push=false',
    { timeout: 300_000 },
    async () => {
      const good = await run({ num_epochs: '10', learning_rate: '0.01', serving_root: servingRoot });
      expect(good.job.state, JSON.stringify(good.job.error)).toBe('PIPELINE_STATE_SUCCEEDED');
      for (const name of ['example-gen', 'trainer', 'evaluator', 'if-blessed', 'if-push', 'pusher'])
        expect(task(good.job, name).state).toBe('SUCCEEDED');
      const goodAccuracy = evalMetrics(good.job)['accuracy']?.numberValue;
      expect(goodAccuracy).toBeGreaterThanOrEqual(0.9);
      expect(task(good.job, 'evaluator').outputs?.['metrics']?.artifacts?.[0]?.schemaTitle).toBe(
        'system.Metrics',
      );
      expect(outputParam(good.job, 'evaluator', 'blessed')).toBe('true');
      const version = good.job.name?.split('/').pop() ?? '';
      const pushedUri = `${servingRoot}/penguins/${version}`;
      expect(outputParam(good.job, 'pusher', 'pushed_uri')).toBe(pushedUri);

      const served = await servedObjects();
      expect(served).toContain(`serving/penguins/${version}/model.json`);
      expect(served).toContain('serving/penguins/LATEST');
      expect(
        served
          .filter((n) => n !== 'serving/penguins/LATEST')
          .every((n) => n.startsWith(`serving/penguins/${version}/`)),
      ).toBe(true);
      const latestAfterGood = await latest();
      expect(latestAfterGood).toMatchObject({ version, uri: pushedUri, accuracy: goodAccuracy });

      const worse = await run({ num_epochs: '1', learning_rate: '0.001', serving_root: servingRoot });
      expect(worse.job.state, JSON.stringify(worse.job.error)).toBe('PIPELINE_STATE_SUCCEEDED');
      const worseAccuracy = evalMetrics(worse.job)['accuracy']?.numberValue;
      expect(worseAccuracy).toBeLessThan(0.9);
      expect(outputParam(worse.job, 'evaluator', 'blessed')).toBe('false');
      // The push condition does not hold: Vertex reports such a task NOT_TRIGGERED, and the pusher
      // inside it never exists.
      expect(task(worse.job, 'if-blessed').state).toBe('NOT_TRIGGERED');
      expect(worse.job.jobDetail?.taskDetails?.map((t) => t.taskName)).not.toContain('pusher');
      expect(await servedObjects()).toEqual(served);
      expect(await latest()).toEqual(latestAfterGood);

      // A sweep trial (push=false) with a model as good as the served one: blessed, not pushed.
      const trial = await run({ num_epochs: '10', serving_root: servingRoot, push: 'false' });
      expect(trial.job.state, JSON.stringify(trial.job.error)).toBe('PIPELINE_STATE_SUCCEEDED');
      expect(outputParam(trial.job, 'evaluator', 'blessed')).toBe('true');
      expect(task(trial.job, 'if-blessed').state).toBe('SUCCEEDED');
      expect(task(trial.job, 'if-push').state).toBe('NOT_TRIGGERED');
      expect(trial.job.jobDetail?.taskDetails?.map((t) => t.taskName)).not.toContain('pusher');
      expect(await servedObjects()).toEqual(served);

      console.log(
        `penguins e2e: served ${served.length} objects; good run accuracy ${goodAccuracy} in ${seconds(good.job).toFixed(1)} s (job) / ${good.wallSeconds.toFixed(1)} s (wall); ` +
          `worse run accuracy ${worseAccuracy} in ${seconds(worse.job).toFixed(1)} s / ${worse.wallSeconds.toFixed(1)} s; ` +
          `push=false trial in ${seconds(trial.job).toFixed(1)} s / ${trial.wallSeconds.toFixed(1)} s`,
      );
    },
  );
});
