// `conveyor runs list|show|watch|cancel`: look at and steer training runs.
import type { Command } from 'commander';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { MemoKeys, SearchAttributes, WorkflowTypes, type TrainingRunRequest } from '@conveyor/contracts';
import { withTemporal } from '../schedule/clients.ts';
import { formatResult, progressLine } from '../runs/format.ts';
import { printOutcome, watchAndPrint } from '../runs/output.ts';
import { locateReport, type ReportPlace } from '../runs/report.ts';
import { runUiUrl } from '../runs/ui.ts';
import { outcomeOf, pendingActivityNote, queryStatus } from '../runs/watch.ts';

/** One row of `runs list`. */
interface RunRow {
  workflowId: string;
  status: string;
  pipeline: string | undefined;
  trigger: string | undefined;
  commit: string | undefined;
  startTime: string;
  closeTime: string | undefined;
}

function keyword(info: WorkflowExecutionInfo, name: string): string | undefined {
  const value = info.searchAttributes?.[name];
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}

function row(info: WorkflowExecutionInfo): RunRow {
  return {
    workflowId: info.workflowId,
    status: info.status.name,
    pipeline: keyword(info, SearchAttributes.pipeline),
    trigger: keyword(info, SearchAttributes.trigger),
    commit: keyword(info, SearchAttributes.commit),
    startTime: info.startTime.toISOString(),
    closeTime: info.closeTime?.toISOString(),
  };
}

/** `--open` found no report: say why on stderr and exit 1 (the asked-for file is not there). */
function noReport(why: string): void {
  console.error(`no report: ${why}`);
  process.exitCode = 1;
}

/** `conveyor runs …`. */
export function registerRuns(program: Command): void {
  const runs = program.command('runs').description('list, show, follow and cancel training runs');

  runs
    .command('list')
    .description('recent runs, newest first')
    .option('--pipeline <name>', 'only runs of this pipeline')
    .option('--status <status>', 'only runs in this status (Running, Completed, Failed, Canceled, …)')
    .option('--limit <n>', 'at most this many', '20')
    .option('--json', 'machine-readable output')
    .action(async (flags: { pipeline?: string; status?: string; limit: string; json?: boolean }) => {
      await withTemporal(async (client) => {
        const clauses = [`WorkflowType = '${WorkflowTypes.trainingRun}'`];
        if (flags.pipeline)
          clauses.push(`${SearchAttributes.pipeline} = '${flags.pipeline.replace(/'/g, '')}'`);
        if (flags.status) clauses.push(`ExecutionStatus = '${flags.status.replace(/'/g, '')}'`);
        const rows: RunRow[] = [];
        for await (const info of client.workflow.list({ query: clauses.join(' AND ') })) {
          rows.push(row(info));
          if (rows.length >= Number(flags.limit)) break;
        }
        if (flags.json) return console.log(JSON.stringify(rows, null, 2));
        if (rows.length === 0) return console.log('no runs');
        for (const r of rows) {
          console.log(
            [
              r.workflowId.padEnd(40),
              r.status.padEnd(10),
              (r.trigger ?? '').padEnd(8),
              (r.commit ?? '').slice(0, 10).padEnd(10),
              r.startTime,
            ].join(' '),
          );
        }
      });
    });

  runs
    .command('show <workflowId>')
    .description('a run: its request, live stage or result')
    .option(
      '--open',
      "where the run's report is: its gs:// URI and, on the local stack, a copy on disk to open in a browser",
    )
    .option('--json', 'machine-readable output')
    .action(async (workflowId: string, flags: { json?: boolean; open?: boolean }) => {
      await withTemporal(async (client, env) => {
        const handle = client.workflow.getHandle(workflowId);
        const description = await handle.describe();
        const request = (description.memo?.[MemoKeys.request] ?? undefined) as TrainingRunRequest | undefined;
        const ui = runUiUrl(env, workflowId);
        if (description.status.name === 'RUNNING') {
          const [status, note] = await Promise.all([
            queryStatus(handle),
            pendingActivityNote(handle).catch(() => undefined),
          ]);
          if (flags.json)
            return console.log(
              JSON.stringify({ workflowId, status: 'RUNNING', ui, request, live: status, note }, null, 2),
            );
          console.log(`run ${workflowId}  RUNNING  ${(await description.staticSummary()) ?? ''}\n${ui}`);
          console.log(progressLine(status, note));
          if (flags.open) noReport('the run is still going; its report is written when it succeeds');
          return;
        }
        const outcome = await outcomeOf(handle);
        let place: ReportPlace | undefined;
        if (flags.open && outcome.status === 'COMPLETED') {
          place = await locateReport(outcome.result);
          if (!place)
            noReport(
              'this run has none (its worker predates reports, or writing it failed: see the worker log)',
            );
        } else if (flags.open) noReport(`the run ended ${outcome.status}; only successful runs have one`);
        if (flags.json) {
          return console.log(
            JSON.stringify(
              { workflowId, ui, request, ...outcome, ...(place?.path ? { reportPath: place.path } : {}) },
              null,
              2,
            ),
          );
        }
        console.log(ui);
        if (outcome.status === 'COMPLETED') console.log(formatResult(outcome.result));
        else printOutcome(workflowId, outcome, false);
        if (place) {
          console.log(`${'report'.padEnd(12)} ${place.htmlUri}`);
          if (place.path) console.log(`${'open'.padEnd(12)} ${place.path}`);
          if (place.browserUrl) console.log(`${'open'.padEnd(12)} ${place.browserUrl}`);
        }
      });
    });

  runs
    .command('watch <workflowId>')
    .description('follow a run to its end: stage, build steps, pipeline tasks; then the result')
    .option('--json', 'print only the final outcome as JSON')
    .action(async (workflowId: string, flags: { json?: boolean }) => {
      await withTemporal(async (client) => {
        await watchAndPrint(client.workflow.getHandle(workflowId), flags.json === true);
      });
    });

  runs
    .command('cancel <workflowId>')
    .description('cancel a run: its build or pipeline job is cancelled, then the run ends CANCELLED')
    .option('--wait', 'wait until the run (and its cloud job) has ended')
    .option('--json', 'machine-readable output')
    .action(async (workflowId: string, flags: { wait?: boolean; json?: boolean }) => {
      await withTemporal(async (client) => {
        const handle = client.workflow.getHandle(workflowId);
        await handle.cancel();
        if (!flags.wait) {
          if (flags.json) console.log(JSON.stringify({ workflowId, cancelRequested: true }));
          else console.log(`cancellation requested for ${workflowId}`);
          return;
        }
        printOutcome(workflowId, await outcomeOf(handle), flags.json === true);
      });
    });
}
