// Following a sweep: progress from the `sweepStatus` query, then the result (or the failure with the
// trials as far as they got).
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { Queries, type Goal, type SweepResult } from '@conveyor/contracts';
import { outcomeExitCode } from '../runs/output.ts';
import { outcomeOf, type RunOutcome } from '../runs/watch.ts';
import type { Printer } from '../common/output.ts';
import { formatSweepResult, sweepProgressLine, trialTable, type SweepProgress } from './view.ts';

/** How often progress is refreshed: a trial takes tens of seconds at least. */
const REFRESH_MS = 2_000;
/** A query needs a worker; without one, give up after this long. */
const QUERY_TIMEOUT_MS = 3_000;

/** The sweep's progress, or undefined when no worker answers in time. */
export async function querySweep(handle: WorkflowHandle): Promise<SweepProgress | undefined> {
  // Unref: a limit that was not needed must not keep the process alive.
  const timeout = sleep(QUERY_TIMEOUT_MS, undefined, { ref: false }).then(() => undefined);
  return Promise.race([handle.query<SweepProgress>(Queries.sweepStatus).catch(() => undefined), timeout]);
}

/** A sweep's outcome; a failed one carries the trials as far as they got. */
export type SweepOutcome = RunOutcome<SweepResult> & { readonly trials?: SweepProgress['trials'] };

/** Waits for a sweep's end, calling `onProgress` when the count of finished trials changes. */
export async function followSweep(
  handle: WorkflowHandle,
  onProgress: (progress: SweepProgress | undefined) => void,
): Promise<SweepOutcome> {
  let last = '';
  for (;;) {
    if ((await handle.describe()).status.name !== 'RUNNING') break;
    const progress = await querySweep(handle);
    const key = sweepProgressLine(progress);
    if (key !== last) onProgress(progress);
    last = key;
    await sleep(REFRESH_MS);
  }
  return sweepOutcome(handle);
}

/** The outcome of a closed sweep (waits for it). */
export async function sweepOutcome(handle: WorkflowHandle): Promise<SweepOutcome> {
  const outcome = await outcomeOf<SweepResult>(handle);
  if (outcome.status === 'COMPLETED') return outcome;
  const progress = await querySweep(handle);
  return progress ? { ...outcome, trials: progress.trials } : outcome;
}

/** Prints a sweep's outcome (`{runId, status, result}` / `{runId, status, error, type, trials}`) and sets the exit code. */
export function printSweepOutcome(
  printer: Printer,
  sweepId: string,
  outcome: SweepOutcome,
  request: { metric: string; goal: Goal },
): void {
  printer.result({ runId: sweepId, ...outcome }, () => {
    if (outcome.status === 'COMPLETED') return formatSweepResult(outcome.result);
    const head = `sweep ${sweepId} ${outcome.status}${outcome.type ? ` (${outcome.type})` : ''}: ${outcome.error}`;
    return outcome.trials?.length
      ? `${head}\n\n${trialTable(outcome.trials, request.metric, request.goal)}`
      : head;
  });
  process.exitCode = outcomeExitCode(outcome);
}
