// Helpers of the tests that run pipelines compiled by the real kfp 2.17.3 SDK (tests/fixtures/kfp).
import { readFile } from 'node:fs/promises';
import type { protos } from '@google-cloud/aiplatform';
import { uniqueName } from '@conveyor/testing';
import { submit, waitFor, type Job, type VertexHarness } from './harness.ts';

type TaskDetail = protos.google.cloud.aiplatform.v1.IPipelineTaskDetail;

/** A compiled fixture, e.g. `loops` → tests/fixtures/kfp/loops.json. */
export async function kfpSpec(name: string): Promise<Record<string, unknown>> {
  const spec = JSON.parse(
    await readFile(new URL(`../fixtures/kfp/${name}.json`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  if (spec['sdkVersion'] !== 'kfp-2.17.3') throw new Error(`${name}.json was not compiled by kfp 2.17.3`);
  return spec;
}

/**
 * The spec with caching off for every task, as the Vertex SDK's `PipelineJob(enable_caching=False)`
 * rewrites it (kfp turns caching on by default; a test that runs a fixture twice wants real runs).
 */
export function withoutCaching(spec: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(spec);
  const dags = [
    (copy['root'] as { dag?: unknown }).dag,
    ...Object.values(copy['components'] as Record<string, { dag?: unknown }>).map((c) => c.dag),
  ];
  for (const dag of dags) {
    for (const task of Object.values(
      (dag as { tasks?: Record<string, Record<string, unknown>> })?.tasks ?? {},
    )) {
      task['cachingOptions'] = { enableCache: false };
    }
  }
  return copy;
}

/** Every task detail, keyed by `taskUniqueName` (the root under its pipeline name), to its state. */
export function states(job: Job): Record<string, string> {
  return Object.fromEntries(
    (job.jobDetail?.taskDetails ?? []).map((t) => [t.taskUniqueName ?? '', String(t.state)]),
  );
}

/** The task detail with this unique name (`outer.inner.task`). */
export function byUniqueName(job: Job, name: string): TaskDetail {
  const found = job.jobDetail?.taskDetails?.find((t) => t.taskUniqueName === name);
  if (!found) throw new Error(`no task ${name} in ${Object.keys(states(job)).join(', ')}`);
  return found;
}

/** Task details named `name` (a loop body task appears once per iteration). */
export function allNamed(job: Job, name: string): TaskDetail[] {
  return (job.jobDetail?.taskDetails ?? []).filter((t) => t.taskName === name);
}

/** An output parameter of a task (`output:<key>` in its execution metadata), as JSON. */
export function output(task: TaskDetail, key = 'Output'): unknown {
  const value = task.execution?.metadata?.fields?.[`output:${key}`];
  return value ? plain(value) : undefined;
}

/** A custom execution metadata field (`iteration_count`, `iteration_index`, `cached_execution`). */
export function metadata(task: TaskDetail, key: string): unknown {
  const value = task.execution?.metadata?.fields?.[key];
  return value ? plain(value) : undefined;
}

/** A google.protobuf.Value as the client decodes it (no `kind`), as JSON. */
export function plain(value: protos.google.protobuf.IValue): unknown {
  if (value.stringValue !== undefined && value.stringValue !== null) return value.stringValue;
  if (value.numberValue !== undefined && value.numberValue !== null) return value.numberValue;
  if (value.boolValue !== undefined && value.boolValue !== null) return value.boolValue;
  if (value.listValue) return (value.listValue.values ?? []).map(plain);
  if (value.structValue)
    return Object.fromEntries(Object.entries(value.structValue.fields ?? {}).map(([k, v]) => [k, plain(v)]));
  return null;
}

/** The tasks whose parent is `task`. */
export function childrenOf(job: Job, task: TaskDetail): TaskDetail[] {
  return (job.jobDetail?.taskDetails ?? []).filter((t) => String(t.parentTaskId) === String(task.taskId));
}

/**
 * Submits a spec and waits for the job's end. Lightweight tasks take a second or two each on a warm
 * venv; the first python:3.11 task on a clean machine installs kfp first, hence 9 minutes.
 */
export async function runToEnd(
  h: VertexHarness,
  prefix: string,
  spec: object,
  runtime: Parameters<typeof submit>[3] = {},
): Promise<Job> {
  const created = await submit(h, uniqueName(prefix), spec, runtime);
  return waitFor(h, created.name!, undefined, 540_000);
}
