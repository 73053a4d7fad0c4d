// Printing a followed run to a terminal or a script.
import type { WorkflowHandle } from '@temporalio/client';
import { formatResult, progressLine } from './format.ts';
import { followRun, type RunOutcome } from './watch.ts';

/** Follows a run, printing progress (a rewritten line on a TTY, plain lines otherwise) unless `json`. */
export async function watchAndPrint(handle: WorkflowHandle, json: boolean): Promise<RunOutcome> {
  const tty = process.stderr.isTTY === true && !json;
  const outcome = await followRun(handle, (status, note) => {
    if (json) return;
    const line = progressLine(status, note);
    if (tty) process.stderr.write(`\r\x1b[2K${line}`);
    else console.error(line);
  });
  if (tty) process.stderr.write('\n');
  printOutcome(handle.workflowId, outcome, json);
  return outcome;
}

/** Prints how a run ended; sets a non-zero exit code unless it completed. */
export function printOutcome(workflowId: string, outcome: RunOutcome, json: boolean): void {
  if (json) console.log(JSON.stringify({ workflowId, ...outcome }, null, 2));
  else if (outcome.status === 'COMPLETED') console.log(formatResult(outcome.result));
  else
    console.log(
      `run ${workflowId} ${outcome.status}${outcome.type ? ` (${outcome.type})` : ''}: ${outcome.error}`,
    );
  if (outcome.status !== 'COMPLETED') process.exitCode = outcome.status === 'CANCELLED' ? 4 : 2;
}
