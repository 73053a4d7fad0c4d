// A Vertex AI emulator of the tests' own (in process, on the stack's fake GCS) and the official
// PipelineServiceClient pointed at it: compiled specs go in as the real client sends them, task
// details come back as Vertex reports them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { helpers, type protos, v1 } from '@google-cloud/aiplatform';
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { startEmulator, type RunningEmulator } from '@conveyor/gcp-emulator';
import { uniqueName } from '@conveyor/testing';
import { compilePipeline } from '../src/compile.ts';
import type { Pipeline } from '../src/pipeline.ts';
import { readPipelineSpec } from '../src/read-spec.ts';
import { toRuntimeConfig } from '../src/runtime-config.ts';
import { typeParameters } from '../src/typing.ts';

const PROJECT = 'conveyor-test';
const PARENT = `projects/${PROJECT}/locations/us-central1`;
const TERMINAL = new Set(['PIPELINE_STATE_SUCCEEDED', 'PIPELINE_STATE_FAILED', 'PIPELINE_STATE_CANCELLED']);
// A job of shell tasks takes seconds; 120 s only stops a hung job on a machine shared by several agents.
const JOB_TIMEOUT_MS = 120_000;

/** A pipeline job as the client returns it. */
export type Job = protos.google.cloud.aiplatform.v1.IPipelineJob;
/** One task detail of a job. */
export type TaskDetail = protos.google.cloud.aiplatform.v1.IPipelineTaskDetail;

/** The emulator, its client and a bucket for pipeline roots. */
export interface Vertex {
  /** Compiles `pipeline`, types `values` by its parameters, submits it and waits for the end. */
  run(pipeline: Pipeline, values?: Record<string, unknown>): Promise<Job>;
  close(): Promise<void>;
}

/** Starts an emulator against fake GCS at `gcsEndpoint`. */
export async function startVertex(gcsEndpoint: string): Promise<Vertex> {
  const dir = await mkdtemp(join(tmpdir(), 'dsl-vertex-'));
  const bucket = uniqueName('dsl-control-flow');
  const created = await fetch(`${gcsEndpoint}/storage/v1/b?project=${PROJECT}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: bucket }),
  });
  if (!created.ok) throw new Error(`creating bucket ${bucket}: ${created.status} ${await created.text()}`);
  const emulator: RunningEmulator = await startEmulator({
    dataDir: join(dir, 'emulator'),
    gcsEndpoint,
    projectId: PROJECT,
    adminPort: null,
    log: pino({ level: process.env['LOG_LEVEL'] ?? 'warn' }),
  });
  const client = new v1.PipelineServiceClient({
    apiEndpoint: '127.0.0.1',
    port: emulator.port,
    sslCreds: grpc.credentials.createInsecure(),
    universeDomain: 'googleapis.com',
  });
  const toValue = (v: unknown) => helpers.toValue(v as object) as protos.google.protobuf.IValue;
  return {
    async run(pipeline, values = {}) {
      const { json } = compilePipeline(pipeline);
      const read = readPipelineSpec(json);
      const id = uniqueName(pipeline.name);
      const config = toRuntimeConfig(read, typeParameters(read.parameters, values), {
        gcsOutputDirectory: `gs://${bucket}/${id}`,
      });
      if (!('parameterValues' in config)) throw new Error('expected a 2.1.0 runtimeConfig');
      const [job] = await client.createPipelineJob({
        parent: PARENT,
        pipelineJobId: id,
        pipelineJob: {
          displayName: id,
          // Struct and Values: a plain object would arrive empty.
          pipelineSpec: toValue(JSON.parse(json)).structValue ?? null,
          runtimeConfig: {
            gcsOutputDirectory: config.gcsOutputDirectory,
            parameterValues: Object.fromEntries(
              Object.entries(config.parameterValues).map(([k, v]) => [k, toValue(v)]),
            ),
          },
        },
      });
      const deadline = Date.now() + JOB_TIMEOUT_MS;
      for (;;) {
        const [current] = await client.getPipelineJob({ name: job.name ?? '' });
        if (TERMINAL.has(String(current.state))) return current;
        if (Date.now() > deadline) throw new Error(`job ${id} still ${String(current.state)}`);
        // 300 ms: a job takes seconds; finer polling only loads the shared machine.
        await sleep(300);
      }
    },
    async close() {
      await client.close();
      await emulator.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Every task detail named `name` (a task inside a loop has one per iteration). */
export function tasksNamed(job: Job, name: string): TaskDetail[] {
  return (job.jobDetail?.taskDetails ?? []).filter((t) => t.taskName === name);
}

/** The one task detail named `name`. */
export function task(job: Job, name: string): TaskDetail {
  const found = tasksNamed(job, name);
  if (found.length !== 1) {
    const names = (job.jobDetail?.taskDetails ?? []).map((t) => `${t.taskName}:${String(t.state)}`);
    throw new Error(`${found.length} tasks named ${name} in ${names.join(', ')}`);
  }
  return found[0] as TaskDetail;
}

/** The state of the one task named `name`. */
export const stateOf = (job: Job, name: string): string => String(task(job, name).state);

/** The states of every task named `name`, sorted. */
export const statesOf = (job: Job, name: string): string[] =>
  tasksNamed(job, name)
    .map((t) => String(t.state))
    .sort();

type Value = protos.google.protobuf.IValue;

/** A google.protobuf.Value as the client decodes it, back to JSON. */
function fromValue(v: Value): unknown {
  if (v.stringValue !== undefined && v.stringValue !== null) return v.stringValue;
  if (v.numberValue !== undefined && v.numberValue !== null) return v.numberValue;
  if (v.boolValue !== undefined && v.boolValue !== null) return v.boolValue;
  if (v.listValue) return (v.listValue.values ?? []).map(fromValue);
  if (v.structValue) {
    return Object.fromEntries(Object.entries(v.structValue.fields ?? {}).map(([k, f]) => [k, fromValue(f)]));
  }
  return null;
}

/** An input or output parameter of a task, from its execution metadata (`input:<k>` / `output:<k>`). */
export function param(t: TaskDetail, key: string): unknown {
  const value = t.execution?.metadata?.fields?.[key];
  return value === undefined ? undefined : fromValue(value);
}
