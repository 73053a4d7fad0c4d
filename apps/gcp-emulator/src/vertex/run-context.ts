/**
 * What every part of one job's run shares: the job and its spec, the records (taskDetails), the
 * cap on processes running at once, cancellation, fail-fast, the metadata records (artifacts,
 * execution cache) and the toolchains.
 */
import type { EmulatorContext } from '../context.ts';
import type { JobRecord, RpcStatus, TaskKind, TaskRecord, TaskState } from './job-model.ts';
import type { ArtifactStore, ExecutionCache } from './metadata-records.ts';
import { TASK_DONE } from './job-model.ts';
import type { PipelineSpec } from './spec-types.ts';
import { newExecutionId } from './task-ids.ts';

/** gRPC codes Vertex uses in job and task errors. */
export const CODE_CANCELLED = 1;
export const CODE_FAILED_PRECONDITION = 9;

/** A counting semaphore: at most `size` holders at once. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  /** Waits for a slot; call the returned function to give it back. */
  async take(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

/** The shared state of one job's run. */
export interface RunContext {
  context: EmulatorContext;
  job: JobRecord;
  spec: PipelineSpec;
  projectNumber: string;
  /** Aborted when the job is cancelled. */
  signal: AbortSignal;
  /** Container processes running at once. */
  slots: Slots;
  /** Abort controllers of running container tasks (fail-fast aborts them all). */
  running: Set<AbortController>;
  /** Set to the first failed task's name when the failure policy is FAIL_FAST. */
  failFast: { failedTask?: string };
  artifacts: ArtifactStore;
  cache: ExecutionCache;
  /** Persist and notify after a change of any record. */
  changed: () => void;
  /** Waits, returning early when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Adds a PENDING record to the job's taskDetails. */
export function newTaskRecord(
  run: RunContext,
  init: { taskName: string; parentTaskId?: string; taskKey?: string; uniqueName: string; kind: TaskKind },
): TaskRecord {
  const record: TaskRecord = {
    taskId: newExecutionId(),
    ...(init.parentTaskId ? { parentTaskId: init.parentTaskId } : {}),
    taskName: init.taskName,
    ...(init.taskKey ? { taskKey: init.taskKey } : {}),
    taskUniqueName: init.uniqueName,
    kind: init.kind,
    state: 'PENDING',
    createTime: now(),
    inputs: {},
    outputs: {},
    inputParameters: {},
    outputParameters: {},
    attempts: 0,
  };
  run.job.tasks.push(record);
  run.changed();
  return record;
}

/** Moves a record to a state (end time for final states; start time when it starts running). */
export function setTaskState(run: RunContext, record: TaskRecord, state: TaskState, error?: RpcStatus): void {
  record.state = state;
  if (state === 'RUNNING' && !record.startTime) record.startTime = now();
  if (TASK_DONE.has(state)) record.endTime = now();
  if (error) record.error = error;
  run.job.updateTime = now();
  run.changed();
}

/** ISO time now. */
export function now(): string {
  return new Date().toISOString();
}
