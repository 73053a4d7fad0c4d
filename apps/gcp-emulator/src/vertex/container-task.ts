/**
 * One container task: plan its outputs, answer from the execution cache when caching is on and an
 * identical execution succeeded before (the task is then SKIPPED, as on Vertex), otherwise run its
 * attempts on the image's local runtime within the job's process cap, and record what it produced.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskRecord } from './job-model.ts';
import { executionFingerprint } from './metadata-records.ts';
import { setTaskState, type RunContext } from './run-context.ts';
import type { ComponentDef, ContainerDef, TaskDef } from './spec-types.ts';
import { runAttempts } from './task-attempts.ts';
import { AttemptError, resolveParameterPlaceholders } from './task-exec.ts';
import type { TaskInputs } from './task-inputs.ts';
import { planTaskIo, runtimeValues } from './task-io.ts';
import { resolveTaskRuntime } from './task-runtime.ts';

/** Runs (or answers from cache) one container task; the caller sets SUCCEEDED. @throws AttemptError */
export async function runContainerTask(
  run: RunContext,
  task: TaskDef,
  record: TaskRecord,
  component: ComponentDef,
  container: ContainerDef,
  inputs: TaskInputs,
): Promise<void> {
  const { context, job } = run;
  const dir = join(context.dataDir, 'vertex', 'jobs', job.jobId, `${task.name}_${record.taskId}`);
  record.logPath = join(dir, 'task.log');
  await mkdir(dir, { recursive: true });
  const values = runtimeValues(job, task.name, record.taskId);
  const parameters = resolveParameterPlaceholders(inputs.parameters, values);
  record.inputParameters = parameters;
  const io = planTaskIo({
    job,
    taskName: task.name,
    component,
    inputs: { parameters, artifacts: inputs.artifacts },
    executionId: record.taskId,
    projectNumber: run.projectNumber,
    localDir: dir,
  });
  record.logUri = `${io.outputDir}/task.log`;
  const fingerprint = task.cache.enabled
    ? executionFingerprint({
        location: `${job.project}/${job.location}`,
        component: component.raw,
        executor: container.raw,
        parameters,
        artifacts: inputs.artifacts,
        ...(task.cache.key ? { cacheKey: task.cache.key } : {}),
      })
    : undefined;
  const hit = fingerprint ? run.cache.get(fingerprint) : undefined;
  if (hit) {
    record.outputParameters = hit.outputParameters;
    record.outputs = hit.outputs;
    record.executionMetadata = { cached_execution: `${hit.jobName}/${hit.taskName}_${hit.taskId}` };
    delete record.logUri;
    setTaskState(run, record, 'SKIPPED');
    return;
  }
  const release = await run.slots.take();
  const controller = new AbortController();
  const onCancel = (): void => controller.abort();
  run.signal.addEventListener('abort', onCancel, { once: true });
  run.running.add(controller);
  try {
    // Fail-fast stops what waited for a slot, but not an exit task (it runs whatever happened before it).
    const stopped = run.signal.aborted || (run.failFast.failedTask && !task.runAfterUpstreamCompleted);
    if (stopped) throw new AttemptError('cancelled before it started', true);
    // RUNNING while the runtime is prepared too (a first python:* task makes its venv), as a task
    // is while its image is pulled.
    setTaskState(run, record, 'RUNNING');
    const runtime = await resolveTaskRuntime(context, container.image, join(dir, 'work'));
    await runAttempts({
      context,
      task,
      record,
      io,
      component,
      container,
      runtime,
      schemaVersion: run.spec.schemaVersion,
      runtimeValues: values,
      dir,
      signal: controller.signal,
      onChange: run.changed,
      sleep: run.sleep,
    });
  } finally {
    run.running.delete(controller);
    run.signal.removeEventListener('abort', onCancel);
    release();
  }
  run.artifacts.register(job.location, Object.values(record.outputs).flat());
  if (fingerprint) {
    run.cache.put(fingerprint, {
      jobName: job.name,
      taskName: task.name,
      taskId: record.taskId,
      outputParameters: record.outputParameters,
      outputs: record.outputs,
    });
  }
}
