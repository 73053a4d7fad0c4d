/**
 * Runs one DAG (the root, a nested pipeline, a condition group, a loop iteration, an exit-handler
 * group): its tasks in dependency order, independent ones in parallel, each as what its component
 * is — a sub-DAG (recursively), a ParallelFor, an importer or a container. A task whose
 * `triggerPolicy.condition` is false ends NOT_TRIGGERED; one with the ALL_UPSTREAM_TASKS_COMPLETED
 * strategy (exit handlers, ignore_upstream_failure) runs whatever its upstream tasks' states.
 */
import { access } from 'node:fs/promises';
import { evaluateCondition } from './cel.ts';
import { runContainerTask } from './container-task.ts';
import { collectDagOutputs } from './dag-outputs.ts';
import { runImporter } from './importer.ts';
import { TASK_DONE, type TaskKind, type TaskRecord, type TaskState } from './job-model.ts';
import { runLoop } from './loop-runner.ts';
import {
  CODE_CANCELLED,
  CODE_FAILED_PRECONDITION,
  newTaskRecord,
  setTaskState,
  type RunContext,
} from './run-context.ts';
import type { DagDef, TaskDef } from './spec-types.ts';
import { AttemptError } from './task-exec.ts';
import { resolveTaskInputs, TaskError, type DagScope, type TaskInputs } from './task-inputs.ts';
import { messageOf } from '../rpc-error.ts';

/** Creates the records of a DAG's tasks and runs them all to an end. Never rejects. */
export async function runDag(run: RunContext, scope: DagScope): Promise<void> {
  for (const task of scope.dag.tasks) {
    scope.children.set(
      task.key,
      newTaskRecord(run, {
        taskName: task.name,
        parentTaskId: scope.record.taskId,
        taskKey: task.key,
        uniqueName: scope.prefix ? `${scope.prefix}.${task.name}` : task.name,
        kind: kindOf(run, task),
      }),
    );
  }
  const running = new Map<string, Promise<void>>();
  for (;;) {
    // Repeat passes until nothing changes: a task settled in this pass may unblock one listed before it.
    let changed = true;
    while (changed) {
      changed = false;
      for (const task of scope.dag.tasks) {
        const record = scope.children.get(task.key);
        if (!record || record.state !== 'PENDING' || running.has(task.key)) continue;
        const verdict = readiness(run, scope, task);
        if (verdict === 'wait') continue;
        if (verdict === 'run') {
          running.set(
            task.key,
            runTask(run, scope, task, record).finally(() => running.delete(task.key)),
          );
        } else {
          setTaskState(run, record, 'CANCELLED', { code: CODE_CANCELLED, message: verdict.notRun });
          changed = true;
        }
      }
    }
    if (running.size === 0) return;
    await Promise.race(running.values());
  }
}

/** Runs a component's DAG under `record` and returns its outputs. @throws TaskError when it did not succeed */
export async function runSubDag(
  run: RunContext,
  record: TaskRecord,
  dag: DagDef,
  inputs: TaskInputs,
): Promise<TaskInputs> {
  const scope: DagScope = {
    dag,
    record,
    inputs,
    children: new Map(),
    prefix: record.taskUniqueName ?? record.taskName,
  };
  await runDag(run, scope);
  const failed = [...scope.children.values()].filter((c) => c.state === 'FAILED' || c.state === 'CANCELLED');
  if (failed.length > 0) {
    const names = failed.filter((c) => c.state === 'FAILED').map((c) => c.taskName);
    throw new TaskError(
      names.length > 0
        ? `The DAG failed because some tasks failed. The failed tasks are: [${names.join(', ')}].`
        : 'The DAG was cancelled.',
    );
  }
  return collectDagOutputs(dag, scope.children);
}

type Verdict = 'wait' | 'run' | { notRun: string };

function readiness(run: RunContext, scope: DagScope, task: TaskDef): Verdict {
  if (run.signal.aborted) return { notRun: 'Not run: the pipeline job was cancelled.' };
  const deps = task.dependsOn.map((d) => scope.children.get(d));
  if (deps.some((d) => !d || !TASK_DONE.has(d.state))) return 'wait';
  if (task.runAfterUpstreamCompleted) return 'run';
  if (run.failFast.failedTask) {
    return {
      notRun: `Not run: task "${run.failFast.failedTask}" failed and the failure policy is fail-fast.`,
    };
  }
  const blocker = deps.find((d) => d?.state === 'FAILED' || d?.state === 'CANCELLED');
  if (blocker) return { notRun: `Not run: upstream task "${blocker.taskName}" did not succeed.` };
  return 'run';
}

function kindOf(run: RunContext, task: TaskDef): TaskKind {
  const component = run.spec.components[task.componentRef];
  if (task.iterator || component?.dag) return 'dag';
  const executor = component?.executorLabel ? run.spec.executors[component.executorLabel] : undefined;
  return executor?.kind === 'importer' ? 'importer' : 'container';
}

/** Runs one task to an end state. Never rejects. */
async function runTask(run: RunContext, scope: DagScope, task: TaskDef, record: TaskRecord): Promise<void> {
  try {
    const component = run.spec.components[task.componentRef];
    if (!component) throw new TaskError(`unknown component ${task.componentRef}`);
    const inputs = resolveTaskInputs(run.job.name, scope, task, component);
    record.inputParameters = inputs.parameters;
    record.inputs = inputs.artifacts;
    if (task.condition && !evaluateCondition(task.condition, inputs.parameters)) {
      setTaskState(run, record, 'NOT_TRIGGERED');
      return;
    }
    let end: TaskState = 'SUCCEEDED';
    if (task.iterator || component.dag) {
      setTaskState(run, record, 'RUNNING');
      if (task.iterator) {
        await runLoop(run, record, task.iterator, task.parallelism, component, inputs, (iteration, own) =>
          runSubDag(run, iteration, component.dag ?? emptyDag(), own),
        );
      } else {
        const outputs = await runSubDag(run, record, component.dag ?? emptyDag(), inputs);
        record.outputParameters = outputs.parameters;
        record.outputs = outputs.artifacts;
      }
    } else {
      const executor = component.executorLabel ? run.spec.executors[component.executorLabel] : undefined;
      if (!executor) throw new TaskError(`component ${component.name} has no executor`);
      if (executor.kind === 'unsupported') throw new TaskError(executor.reason);
      if (executor.kind === 'importer') {
        setTaskState(run, record, 'RUNNING');
        runImporter(run, record, component, executor, inputs);
      } else {
        await runContainerTask(run, task, record, component, executor, inputs);
        if (record.state === 'SKIPPED') end = 'SKIPPED';
      }
    }
    if (end === 'SUCCEEDED') setTaskState(run, record, 'SUCCEEDED');
  } catch (e: unknown) {
    await failed(run, task, record, e);
  }
}

async function failed(run: RunContext, task: TaskDef, record: TaskRecord, e: unknown): Promise<void> {
  if (run.signal.aborted || (e instanceof AttemptError && e.cancelled)) {
    setTaskState(run, record, 'CANCELLED', { code: CODE_CANCELLED, message: 'The task was cancelled.' });
    return;
  }
  const reason = messageOf(e);
  let message: string;
  if (record.kind === 'dag' && e instanceof TaskError && reason.startsWith('The DAG failed'))
    message = reason;
  else {
    const tries = record.attempts > 1 ? ` after ${record.attempts} attempts` : '';
    const log = record.logPath && (await exists(record.logPath)) ? record.logPath : undefined;
    const where = log ? (record.logUri ? `\nLog: ${record.logUri} (local: ${log})` : `\nLog: ${log}`) : '';
    message = `Task "${task.name}" failed${tries}: ${reason}${where}`;
  }
  setTaskState(run, record, 'FAILED', { code: CODE_FAILED_PRECONDITION, message });
  if (run.job.failurePolicy === 'FAIL_FAST' && record.kind !== 'dag') {
    run.failFast.failedTask ??= task.name;
    for (const controller of run.running) controller.abort();
  }
}

function emptyDag(): DagDef {
  return { tasks: [], outputParameters: {}, outputArtifacts: {} };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
