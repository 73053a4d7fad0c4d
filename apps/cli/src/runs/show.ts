// `conveyor runs show <id>`: a run's request and live stage or result; a sweep's trials and result.
import type { WorkflowHandle } from '@temporalio/client';
import {
  MemoKeys,
  summarizeRun,
  WorkflowTypes,
  type SweepRequest,
  type TrainingRunRequest,
} from '@conveyor/contracts';
import { ExitCodes, ExitError } from '../common/errors.ts';
import type { Session } from '../common/session.ts';
import { printSweepOutcome, querySweep, sweepOutcome } from '../sweep/follow.ts';
import { formatSweepProgress } from '../sweep/view.ts';
import { formatResult, progressLine } from './format.ts';
import { printOutcome } from './output.ts';
import { locateReport, type ReportPlace } from './report.ts';
import { outcomeOf, pendingActivityNote, queryStatus } from './watch.ts';

/** Shows a run (or a sweep, by its workflow type). */
export async function showRun(session: Session, runId: string, open: boolean): Promise<void> {
  const client = await session.temporal();
  const handle = client.workflow.getHandle(runId);
  const description = await handle.describe();
  const request = description.memo?.[MemoKeys.request];
  if (description.type === WorkflowTypes.trainingSweep) {
    if (open)
      throw new ExitError(
        ExitCodes.usage,
        '--open: a sweep’s report is printed by runs show; open its gs:// URI',
      );
    return showSweep(
      session,
      handle,
      request as SweepRequest | undefined,
      description.status.name === 'RUNNING',
    );
  }
  const ui = session.uiUrl(runId);
  const { printer } = session;
  if (description.status.name === 'RUNNING') {
    const [status, note] = await Promise.all([
      queryStatus(handle),
      pendingActivityNote(handle).catch(() => undefined),
    ]);
    printer.result({ runId, status: 'RUNNING', ui, request, live: status, note }, () =>
      [
        `run ${runId}  RUNNING  ${request ? summarizeRun(request as TrainingRunRequest) : ''}`,
        ui,
        progressLine(status, note),
      ]
        .filter(Boolean)
        .join('\n'),
    );
    if (open)
      throw new ExitError(
        ExitCodes.usage,
        'no report: the run is still going; its report is written when it succeeds',
      );
    return;
  }
  const outcome = await outcomeOf(handle);
  let place: ReportPlace | undefined;
  if (open && outcome.status === 'COMPLETED') {
    place = await locateReport(outcome.result, {
      local: session.target.google.storageEndpoint !== undefined,
      store: () => session.store(),
      dataDir: session.target.dataDir,
    });
  }
  if (outcome.status !== 'COMPLETED') {
    printOutcome(printer, runId, outcome);
  } else {
    printer.result(
      { runId, ui, request, ...outcome, ...(place?.path ? { reportPath: place.path } : {}) },
      () =>
        [
          ui,
          formatResult(outcome.result),
          ...(place ? [`${'report'.padEnd(12)} ${place.htmlUri}`] : []),
          ...(place?.path ? [`${'open'.padEnd(12)} ${place.path}`] : []),
          ...(place?.browserUrl ? [`${'open'.padEnd(12)} ${place.browserUrl}`] : []),
        ]
          .filter(Boolean)
          .join('\n'),
    );
  }
  if (!open) return;
  // --open asked for a file: its absence is an error, after the run itself was shown. A run that did
  // not complete keeps its own exit code (2 or 4): that is the news.
  if (outcome.status !== 'COMPLETED') {
    printer.warn(`no report: the run ended ${outcome.status}; only successful runs have one`);
    return;
  }
  if (!place)
    throw new ExitError(
      ExitCodes.usage,
      'no report: this run has none (its worker predates reports, or writing it failed: see the worker log)',
    );
}

async function showSweep(
  session: Session,
  handle: WorkflowHandle,
  request: SweepRequest | undefined,
  running: boolean,
): Promise<void> {
  const metric = request?.metric ?? 'accuracy';
  const goal = request?.goal ?? 'max';
  const ui = session.uiUrl(handle.workflowId);
  if (running) {
    const progress = await querySweep(handle);
    session.printer.result({ runId: handle.workflowId, status: 'RUNNING', ui, request, live: progress }, () =>
      [formatSweepProgress(handle.workflowId, progress, metric, goal), ui].filter(Boolean).join('\n'),
    );
    return;
  }
  session.printer.note(ui ?? '');
  printSweepOutcome(session.printer, handle.workflowId, await sweepOutcome(handle), { metric, goal });
}
