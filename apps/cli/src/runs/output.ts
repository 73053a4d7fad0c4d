// Printing a followed run to a terminal or a script.
import type { WorkflowHandle } from '@temporalio/client';
import { ExitCodes, type ExitCode } from '../common/errors.ts';
import type { Printer } from '../common/output.ts';
import { formatResult, progressLine } from './format.ts';
import { followRun, type RunOutcome } from './watch.ts';

/** The exit code of a run's outcome: 0 completed, 4 cancelled, 2 otherwise. */
export function outcomeExitCode(outcome: Pick<RunOutcome<unknown>, 'status'>): ExitCode {
  if (outcome.status === 'COMPLETED') return ExitCodes.ok;
  return outcome.status === 'CANCELLED' ? ExitCodes.cancelled : ExitCodes.runFailed;
}

/** Follows a run, printing progress on stderr (a rewritten line on a TTY, plain lines otherwise) in text mode. */
export async function watchAndPrint(handle: WorkflowHandle, printer: Printer): Promise<RunOutcome> {
  const tty = process.stderr.isTTY === true && !printer.machine;
  const outcome = await followRun(handle, (status, note) => {
    const line = progressLine(status, note);
    if (tty) process.stderr.write(`\r\x1b[2K${line}`);
    else printer.note(line);
  });
  if (tty) process.stderr.write('\n');
  printOutcome(printer, handle.workflowId, outcome);
  return outcome;
}

/**
 * Prints how a run ended (`{runId, status, result}` or `{runId, status, error, type}` as JSON) and
 * sets the exit code of its outcome.
 */
export function printOutcome(printer: Printer, runId: string, outcome: RunOutcome): void {
  printer.result({ runId, ...outcome }, () =>
    outcome.status === 'COMPLETED'
      ? formatResult(outcome.result)
      : `run ${runId} ${outcome.status}${outcome.type ? ` (${outcome.type})` : ''}: ${outcome.error}`,
  );
  process.exitCode = outcomeExitCode(outcome);
}
