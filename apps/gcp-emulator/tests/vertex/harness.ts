// Shared setup of the Vertex emulator tests: an emulator on port 0 against the stack's fake GCS, the
// fixture image in its local image store, and the official PipelineServiceClient pointed at it.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { helpers, type protos, v1 } from '@google-cloud/aiplatform';
import { pino } from 'pino';
import { inject } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.ts';
import { createLocalImageStore } from '../../src/images/image-store.ts';

/** Image the fixture tasks run in. */
export const FIXTURE_IMAGE = 'local/vertex-fixture:test';
export const PROJECT = 'conveyor-test';
export const LOCATION = 'us-central1';
export const PARENT = `projects/${PROJECT}/locations/${LOCATION}`;
const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'vertex-image');

/** A running emulator and a client of it. */
export interface VertexHarness {
  emulator: RunningEmulator;
  client: InstanceType<typeof v1.PipelineServiceClient>;
  dataDir: string;
  gcsEndpoint: string;
  /** Stops the client and the emulator. */
  close(): Promise<void>;
}

/** Starts an emulator (reusing `dataDir` if given: a restart) with the fixture image built. */
export async function startVertex(dataDir?: string): Promise<VertexHarness> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'vertex-emu-')));
  const { gcs, cacheDir } = inject('stack');
  const gcsEndpoint = gcs.endpoint;
  await createLocalImageStore(join(dir, 'images')).build(fixtureDir, [FIXTURE_IMAGE]);
  const emulator = await startEmulator({
    dataDir: dir,
    gcsEndpoint,
    // The per-machine cache: python:3.11 tasks reuse the venv (and its kfp) of earlier runs.
    cacheDir,
    projectId: PROJECT,
    persist: true,
    adminPort: null,
    log: pino({ level: process.env['LOG_LEVEL'] ?? 'warn' }),
  });
  const client = new v1.PipelineServiceClient({
    apiEndpoint: '127.0.0.1',
    port: emulator.port,
    sslCreds: grpc.credentials.createInsecure(),
    universeDomain: 'googleapis.com',
  });
  return {
    emulator,
    client,
    dataDir: dir,
    gcsEndpoint,
    async close() {
      await client.close();
      await emulator.stop();
    },
  };
}

/** What the tests read from a PipelineJob. */
export type Job = protos.google.cloud.aiplatform.v1.IPipelineJob;
type TaskDetail = protos.google.cloud.aiplatform.v1.IPipelineTaskDetail;

/** A spec (or any JSON) as the google.protobuf.Struct the client must send (the Vertex client sends a Struct, never raw JSON). */
export function toStruct(spec: object): protos.google.protobuf.IStruct {
  return (helpers.toValue(spec) as protos.google.protobuf.IValue).structValue ?? {};
}

/** A JSON value as google.protobuf.Value. */
function toValue(value: unknown): protos.google.protobuf.IValue {
  return helpers.toValue(value as object) as protos.google.protobuf.IValue;
}

/** Submits a spec (as a Struct, as the real client does) with 2.1.0 parameterValues. */
export async function submit(
  h: VertexHarness,
  jobId: string,
  spec: object,
  runtime: {
    parameterValues?: Record<string, unknown>;
    parameters?: Record<string, protos.google.cloud.aiplatform.v1.IValue>;
    inputArtifacts?: Record<string, { artifactId: string }>;
    failurePolicy?: 'PIPELINE_FAILURE_POLICY_FAIL_FAST' | 'PIPELINE_FAILURE_POLICY_FAIL_SLOW';
  } = {},
  labels: Record<string, string> = {},
): Promise<Job> {
  const parameterValues = Object.fromEntries(
    Object.entries(runtime.parameterValues ?? {}).map(([k, v]) => [k, toValue(v)]),
  );
  const [job] = await h.client.createPipelineJob({
    parent: PARENT,
    pipelineJobId: jobId,
    pipelineJob: {
      displayName: jobId,
      labels,
      pipelineSpec: toStruct(spec),
      runtimeConfig: {
        gcsOutputDirectory: `gs://vertex-emu-test/${jobId}-root`,
        parameterValues,
        ...(runtime.parameters ? { parameters: runtime.parameters } : {}),
        ...(runtime.inputArtifacts ? { inputArtifacts: runtime.inputArtifacts } : {}),
        ...(runtime.failurePolicy ? { failurePolicy: runtime.failurePolicy } : {}),
      },
    },
  });
  return job;
}

const TERMINAL = ['PIPELINE_STATE_SUCCEEDED', 'PIPELINE_STATE_FAILED', 'PIPELINE_STATE_CANCELLED'];

/** Polls until the job is terminal (or `until` holds); fails after `timeoutMs`. */
export async function waitFor(
  h: VertexHarness,
  name: string,
  until: (job: Job) => boolean = (job) => TERMINAL.includes(String(job.state)),
  timeoutMs = 60_000,
): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [job] = await h.client.getPipelineJob({ name });
    if (until(job)) return job;
    if (Date.now() > deadline) throw new Error(`timed out; job state ${String(job.state)}`);
    // Poll fast: the fixture tasks take a second or two.
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** A task detail by name. */
export function task(job: Job, name: string): TaskDetail {
  const found = job.jobDetail?.taskDetails?.find((t) => t.taskName === name);
  if (!found)
    throw new Error(`no task ${name} in ${job.jobDetail?.taskDetails?.map((t) => t.taskName).join(', ')}`);
  return found;
}

/** Reads an object from the fake GCS over its JSON API (no emulator code involved). */
export async function readGcs(endpoint: string, uri: string): Promise<string> {
  const m = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m?.[1] || !m[2]) throw new Error(`not a gs:// URI: ${uri}`);
  const res = await fetch(`${endpoint}/storage/v1/b/${m[1]}/o/${encodeURIComponent(m[2])}?alt=media`);
  if (!res.ok) throw new Error(`GET ${uri}: ${res.status}`);
  return res.text();
}

/** Waits until a file exists and returns its content (tasks write pid files). */
export async function waitForFile(path: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await readFile(path, 'utf8');
    } catch {
      if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The local log file of a task, by task name (`<dataDir>/vertex/jobs/<job>/<task>_<id>/task.log`). */
export function localLog(h: VertexHarness, job: Job, name: string): Promise<string> {
  const jobId = job.name!.split('/').pop()!;
  return readFile(
    join(h.dataDir, 'vertex', 'jobs', jobId, `${name}_${String(task(job, name).taskId)}`, 'task.log'),
    'utf8',
  );
}
