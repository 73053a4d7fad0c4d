/**
 * Runs one pipeline job: QUEUED → PENDING → RUNNING, the root DAG (and every DAG under it, see
 * dag-runner.ts), then SUCCEEDED | FAILED | CANCELLED with an error naming the failed tasks.
 */
import type { EmulatorContext } from '../context.ts';
import { collectDagOutputs } from './dag-outputs.ts';
import { runDag } from './dag-runner.ts';
import type { JobRecord, PipelineState, TaskRecord } from './job-model.ts';
import type { ArtifactStore, ExecutionCache } from './metadata-records.ts';
import {
  CODE_CANCELLED,
  CODE_FAILED_PRECONDITION,
  newTaskRecord,
  now,
  setTaskState,
  Slots,
  type RunContext,
} from './run-context.ts';
import type { PipelineSpec } from './spec-types.ts';
import { TaskError, type DagScope } from './task-inputs.ts';
import { messageOf } from '../rpc-error.ts';

/** Options for a runner. */
export interface JobRunnerOptions {
  context: EmulatorContext;
  projectNumber: string;
  artifacts: ArtifactStore;
  cache: ExecutionCache;
  /** Called after every change of the record (persist, log). */
  onChange: () => void;
  /**
   * Pause before QUEUED → PENDING and PENDING → RUNNING, so clients can observe the early states.
   * @default 50 ms (Vertex takes about a minute; tests want seconds)
   */
  stateDelayMs?: number;
  /** Container processes running at once: a cap for a 2-core machine. @default 4 */
  maxParallel?: number;
}

/** Drives one job to a terminal state. */
export class JobRunner {
  private readonly job: JobRecord;
  private readonly spec: PipelineSpec;
  private readonly options: JobRunnerOptions;
  private readonly abort = new AbortController();

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
  }

  /** Runs the job to its end; never rejects (failures become the job's error). */
  async run(): Promise<void> {
    const delay = this.options.stateDelayMs ?? 50;
    await sleep(delay, this.abort.signal);
    if (!this.cancelling) this.setState('PIPELINE_STATE_PENDING');
    await sleep(delay, this.abort.signal);
    if (this.cancelling) return this.finish(undefined);
    this.job.startTime = now();
    const run: RunContext = {
      context: this.options.context,
      job: this.job,
      spec: this.spec,
      projectNumber: this.options.projectNumber,
      signal: this.abort.signal,
      slots: new Slots(this.options.maxParallel ?? 4),
      running: new Set(),
      failFast: {},
      artifacts: this.options.artifacts,
      cache: this.options.cache,
      changed: this.options.onChange,
      sleep,
    };
    const root = newTaskRecord(run, { taskName: this.spec.pipelineName, uniqueName: '', kind: 'dag' });
    delete root.taskUniqueName;
    const scope: DagScope = {
      dag: this.spec.root.dag,
      record: root,
      inputs: { parameters: this.job.parameterValues, artifacts: this.job.inputArtifacts ?? {} },
      children: new Map(),
      prefix: '',
    };
    root.inputParameters = scope.inputs.parameters;
    root.inputs = scope.inputs.artifacts;
    setTaskState(run, root, 'RUNNING');
    this.setState('PIPELINE_STATE_RUNNING');
    try {
      await runDag(run, scope);
      if (!this.cancelling && !this.job.tasks.some((t) => t.state === 'FAILED')) {
        try {
          const outputs = collectDagOutputs(scope.dag, scope.children);
          root.outputParameters = outputs.parameters;
          root.outputs = outputs.artifacts;
        } catch (e: unknown) {
          if (!(e instanceof TaskError)) throw e;
          this.job.error = { code: CODE_FAILED_PRECONDITION, message: `The pipeline's ${e.message}` };
        }
      }
    } catch (e: unknown) {
      this.options.context.log.error({ err: e, job: this.job.name }, 'pipeline runner crashed');
      this.job.error = {
        code: 13,
        message: `Internal emulator error: ${messageOf(e)}`,
      };
    }
    this.finish(run);
  }

  private finish(run: RunContext | undefined): void {
    const tasks = this.job.tasks;
    const root = tasks[0];
    // Safety net: nothing stays PENDING in a finished job (e.g. a dependency cycle never became ready).
    for (const t of tasks.slice(1)) {
      if (t.state === 'PENDING' && run)
        setTaskState(run, t, 'CANCELLED', {
          code: CODE_CANCELLED,
          message: 'Not run: its dependencies never completed.',
        });
    }
    const failed = leafFailures(tasks.slice(1));
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
    const end = now();
    if (root) {
      root.state =
        state === 'PIPELINE_STATE_SUCCEEDED'
          ? 'SUCCEEDED'
          : state === 'PIPELINE_STATE_FAILED'
            ? 'FAILED'
            : 'CANCELLED';
      root.endTime = end;
      if (state === 'PIPELINE_STATE_FAILED' && this.job.error) root.error = this.job.error;
    }
    this.job.endTime = end;
    this.setState(state);
  }

  private setState(state: PipelineState): void {
    this.job.state = state;
    this.job.updateTime = now();
    this.options.onChange();
  }
}

/** Failed tasks that explain the failure: those with no failed task under them (a DAG fails because of its tasks). */
function leafFailures(tasks: TaskRecord[]): TaskRecord[] {
  const failed = tasks.filter((t) => t.state === 'FAILED');
  const parents = new Set(failed.map((t) => t.parentTaskId));
  return failed.filter((t) => !parents.has(t.taskId));
}

/** Waits `ms`, returning early when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
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
