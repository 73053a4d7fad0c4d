/**
 * Runs one pipeline job: QUEUED → PENDING → RUNNING, the root DAG's tasks in dependency order with
 * independent ones in parallel, retries per task policy, then SUCCEEDED | FAILED | CANCELLED.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorContext } from '../context.ts';
import type { JobRecord, PipelineState, TaskRecord, TaskState } from './job-model.ts';
import { unsupportedReason } from './spec.ts';
import type { PipelineSpec, TaskDef } from './spec-types.ts';
import { runAttempts } from './task-attempts.ts';
import { AttemptError } from './task-exec.ts';
import { InputError, planTaskIo, runtimeValues, type TaskIo } from './task-io.ts';
import { newExecutionId } from './task-ids.ts';

/** gRPC codes Vertex uses in job and task errors. */
const CODE_CANCELLED = 1;
const CODE_FAILED_PRECONDITION = 9;

/** Options for a runner. */
export interface JobRunnerOptions {
  context: EmulatorContext;
  projectNumber: string;
  /** Called after every change of the record (persist, log). */
  onChange: () => void;
  /**
   * Pause before QUEUED → PENDING and PENDING → RUNNING, so clients can observe the early states.
   * @default 50 ms (Vertex takes about a minute; tests want seconds)
   */
  stateDelayMs?: number;
  /** Tasks running at once: a cap for a 2-core machine. @default 4 */
  maxParallel?: number;
}

/** Drives one job to a terminal state. */
export class JobRunner {
  private readonly job: JobRecord;
  private readonly spec: PipelineSpec;
  private readonly options: JobRunnerOptions;
  private readonly abort = new AbortController();
  private readonly taskAborts = new Map<string, AbortController>();
  private readonly records = new Map<string, TaskRecord>();

  constructor(job: JobRecord, spec: PipelineSpec, options: JobRunnerOptions) {
    this.job = job;
    this.spec = spec;
    this.options = options;
  }

  /** True once cancel() was called. */
  get cancelling(): boolean {
    return this.abort.signal.aborted;
  }

  /** Requests cancellation: CANCELLING now, running processes killed, CANCELLED when all stopped. */
  cancel(): void {
    if (this.abort.signal.aborted) return;
    this.setState('PIPELINE_STATE_CANCELLING');
    this.abort.abort();
    for (const controller of this.taskAborts.values()) controller.abort();
  }

  /** Runs the job to its end; never rejects (failures become the job's error). */
  async run(): Promise<void> {
    const delay = this.options.stateDelayMs ?? 50;
    await this.sleep(delay);
    if (!this.cancelling) this.setState('PIPELINE_STATE_PENDING');
    await this.sleep(delay);
    if (this.cancelling) return this.finish();
    this.job.startTime = now();
    this.createTaskRecords();
    this.setState('PIPELINE_STATE_RUNNING');
    try {
      await this.schedule();
    } catch (e: unknown) {
      this.options.context.log.error({ err: e, job: this.job.name }, 'pipeline runner crashed');
      this.job.error = {
        code: 13,
        message: `Internal emulator error: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
    this.finish();
  }

  private createTaskRecords(): void {
    const created = now();
    const rootId = newExecutionId();
    this.job.tasks = [
      {
        taskId: rootId,
        taskName: this.spec.pipelineName,
        state: 'RUNNING',
        createTime: created,
        startTime: created,
        ...empty(),
      },
    ];
    for (const task of this.spec.tasks) {
      const record: TaskRecord = {
        taskId: newExecutionId(),
        parentTaskId: rootId,
        taskName: task.name,
        taskKey: task.key,
        state: 'PENDING',
        createTime: created,
        ...empty(),
      };
      this.records.set(task.key, record);
      this.job.tasks.push(record);
    }
  }

  private async schedule(): Promise<void> {
    const running = new Map<string, Promise<void>>();
    const max = this.options.maxParallel ?? 4;
    for (;;) {
      // Repeat passes until nothing changes: a task cancelled in this pass may block one listed before it.
      let changed = true;
      while (changed) {
        changed = false;
        for (const task of this.spec.tasks) {
          const record = this.records.get(task.key);
          if (!record || record.state !== 'PENDING' || running.has(task.key)) continue;
          const deps = task.dependsOn.map((d) => this.records.get(d));
          const blocker = deps.find((d) => d && ['FAILED', 'CANCELLED', 'SKIPPED'].includes(d.state));
          if (this.cancelling) {
            this.setTask(record, 'CANCELLED', {
              code: CODE_CANCELLED,
              message: 'Not run: the pipeline job was cancelled.',
            });
            changed = true;
          } else if (blocker) {
            this.setTask(record, 'CANCELLED', {
              code: CODE_CANCELLED,
              message: `Not run: upstream task "${blocker.taskName}" did not succeed.`,
            });
            changed = true;
          } else if (deps.every((d) => d?.state === 'SUCCEEDED') && running.size < max) {
            running.set(
              task.key,
              this.runTask(task, record).finally(() => running.delete(task.key)),
            );
          }
        }
      }
      if (running.size === 0) return;
      await Promise.race(running.values());
    }
  }

  private async runTask(task: TaskDef, record: TaskRecord): Promise<void> {
    const controller = new AbortController();
    this.taskAborts.set(task.key, controller);
    record.startTime = now();
    this.setTask(record, 'RUNNING');
    const dir = join(
      this.options.context.dataDir,
      'vertex',
      'jobs',
      this.job.jobId,
      `${task.name}_${record.taskId}`,
    );
    record.logPath = join(dir, 'task.log');
    await mkdir(dir, { recursive: true });
    try {
      const unsupported = unsupportedReason(this.spec, task);
      if (unsupported) throw new AttemptError(unsupported);
      const component = this.spec.components[task.componentRef];
      const executor = component?.executorLabel ? this.spec.executors[component.executorLabel] : undefined;
      if (!component || !executor || 'unsupported' in executor)
        throw new AttemptError(executor && 'unsupported' in executor ? executor.unsupported : 'no executor');
      const io = this.plan(task, record, dir);
      record.inputParameters = io.parameters;
      record.inputs = Object.fromEntries(Object.entries(io.inputArtifacts).map(([k, a]) => [k, [a]]));
      record.logUri = `${io.outputDir}/task.log`;
      await runAttempts({
        context: this.options.context,
        task,
        record,
        io,
        component,
        container: executor,
        schemaVersion: this.spec.schemaVersion,
        runtime: runtimeValues(this.job, task.name, record.taskId),
        dir,
        signal: controller.signal,
        onChange: this.options.onChange,
        sleep: (ms, signal) => this.sleep(ms, signal),
      });
      this.setTask(record, 'SUCCEEDED');
    } catch (e: unknown) {
      if (controller.signal.aborted) {
        return this.setTask(record, 'CANCELLED', {
          code: CODE_CANCELLED,
          message: 'The task was cancelled.',
        });
      }
      const reason = e instanceof AttemptError || e instanceof InputError ? e.message : String(e);
      const where = record.logUri
        ? `Log: ${record.logUri} (local: ${record.logPath})`
        : `Log: ${record.logPath}`;
      const tries = record.attempts > 1 ? ` after ${record.attempts} attempts` : '';
      this.setTask(record, 'FAILED', {
        code: CODE_FAILED_PRECONDITION,
        message: `Task "${task.name}" failed${tries}: ${reason}\n${where}`,
      });
      if (this.job.failurePolicy === 'FAIL_FAST') {
        for (const [key, c] of this.taskAborts) if (key !== task.key) c.abort();
      }
    } finally {
      this.taskAborts.delete(task.key);
    }
  }

  private plan(task: TaskDef, record: TaskRecord, dir: string): TaskIo {
    const component = this.spec.components[task.componentRef];
    if (!component) throw new AttemptError(`unknown component ${task.componentRef}`);
    return planTaskIo({
      job: this.job,
      spec: this.spec,
      task,
      component,
      executionId: record.taskId,
      projectNumber: this.options.projectNumber,
      localDir: dir,
      upstream: (key) => this.records.get(key),
    });
  }

  private finish(): void {
    const tasks = [...this.records.values()];
    // Safety net: nothing stays PENDING in a finished job (e.g. a dependency cycle never became ready).
    for (const t of tasks) {
      if (t.state === 'PENDING')
        this.setTask(t, 'CANCELLED', {
          code: CODE_CANCELLED,
          message: 'Not run: its dependencies never completed.',
        });
    }
    const failed = tasks.filter((t) => t.state === 'FAILED');
    let state: PipelineState;
    if (this.cancelling) {
      state = 'PIPELINE_STATE_CANCELLED';
      this.job.error = { code: CODE_CANCELLED, message: 'CANCELLED' };
    } else if (failed.length > 0 || this.job.error) {
      state = 'PIPELINE_STATE_FAILED';
      if (!this.job.error) {
        const names = failed.map((t) => t.taskName).join(', ');
        const details = failed.map((t) => t.error?.message ?? '').join('\n');
        this.job.error = {
          code: CODE_FAILED_PRECONDITION,
          message: `The DAG failed because some tasks failed. The failed tasks are: [${names}].\n${details}`,
        };
      }
    } else {
      state = 'PIPELINE_STATE_SUCCEEDED';
    }
    const root = this.job.tasks[0];
    const end = now();
    if (root) {
      root.state =
        state === 'PIPELINE_STATE_SUCCEEDED'
          ? 'SUCCEEDED'
          : state === 'PIPELINE_STATE_FAILED'
            ? 'FAILED'
            : 'CANCELLED';
      root.endTime = end;
    }
    this.job.endTime = end;
    this.setState(state);
  }

  private setState(state: PipelineState): void {
    this.job.state = state;
    this.job.updateTime = now();
    this.options.onChange();
  }

  private setTask(record: TaskRecord, state: TaskState, error?: { code: number; message: string }): void {
    record.state = state;
    if (state !== 'RUNNING' && state !== 'PENDING') record.endTime = now();
    if (error) record.error = error;
    this.job.updateTime = now();
    this.options.onChange();
  }

  private sleep(ms: number, signal: AbortSignal = this.abort.signal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

function now(): string {
  return new Date().toISOString();
}

function empty(): Pick<
  TaskRecord,
  'inputs' | 'outputs' | 'inputParameters' | 'outputParameters' | 'attempts'
> {
  return { inputs: {}, outputs: {}, inputParameters: {}, outputParameters: {}, attempts: 0 };
}
