/** Runs a task's attempts under its retry policy, recording outputs on success; rethrows the last failure. */
import { appendFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorContext } from '../context.ts';
import type { TaskRecord } from './job-model.ts';
import type { ComponentDef, ContainerDef, TaskDef } from './spec-types.ts';
import { AttemptError, runAttempt } from './task-exec.ts';
import { gcsCopyOfLog } from './task-ids.ts';
import type { TaskIo } from './task-io.ts';
import type { TaskRuntime } from './task-runtime.ts';
import { messageOf } from '../rpc-error.ts';

/** What the attempts of one task need. */
export interface AttemptsSpec {
  context: EmulatorContext;
  task: TaskDef;
  record: TaskRecord;
  io: TaskIo;
  component: ComponentDef;
  container: ContainerDef;
  runtime: TaskRuntime;
  schemaVersion: '2.0.0' | '2.1.0';
  runtimeValues: Record<string, string>;
  /** The task's local directory (log, outputs, gcs mount). */
  dir: string;
  signal: AbortSignal;
  onChange: () => void;
  /** Waits, returning early when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** @throws the last attempt's error (AttemptError or another) */
export async function runAttempts(spec: AttemptsSpec): Promise<void> {
  const { record, task, signal, context } = spec;
  const logPath = record.logPath ?? join(spec.dir, 'task.log');
  for (let attempt = 1; ; attempt++) {
    record.attempts = attempt;
    spec.onChange();
    // Each attempt starts clean, as a new container would.
    await rm(join(spec.dir, 'outputs'), { recursive: true, force: true });
    await rm(join(spec.dir, 'gcs'), { recursive: true, force: true });
    await rm(join(spec.dir, 'tmp'), { recursive: true, force: true });
    try {
      const outputs = await runAttempt({
        context,
        io: spec.io,
        component: spec.component,
        container: spec.container,
        runtime: spec.runtime,
        schemaVersion: spec.schemaVersion,
        runtimeValues: spec.runtimeValues,
        mountDir: join(spec.dir, 'gcs'),
        tmpDir: join(spec.dir, 'tmp'),
        logPath,
        signal,
      });
      record.outputParameters = outputs.parameters;
      record.outputs = Object.fromEntries(Object.entries(outputs.artifacts).map(([k, a]) => [k, [a]]));
      await uploadLog(context, record);
      return;
    } catch (e: unknown) {
      await appendFile(logPath, `[emulator] attempt ${attempt} failed: ${messageOf(e)}\n`);
      await uploadLog(context, record);
      const retry = task.retry;
      const cancelled = signal.aborted || (e instanceof AttemptError && e.cancelled);
      if (cancelled || !retry || attempt > retry.maxRetryCount) throw e;
      const wait = Math.min(retry.backoffMs * retry.backoffFactor ** (attempt - 1), retry.backoffMaxMs);
      context.log.info({ task: task.name, attempt, wait }, 'task attempt failed; retrying');
      await spec.sleep(wait, signal);
      if (signal.aborted) throw new AttemptError('cancelled during retry backoff', true);
    }
  }
}

async function uploadLog(context: EmulatorContext, record: TaskRecord): Promise<void> {
  if (!record.logPath || !record.logUri) return;
  try {
    await gcsCopyOfLog(context.gcs, record.logPath, record.logUri);
  } catch (e: unknown) {
    context.log.warn({ err: e, uri: record.logUri }, 'could not upload task log');
  }
}
