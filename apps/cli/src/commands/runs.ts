// `conveyor runs list|show|watch|cancel|logs|cleanup`: look at and steer training runs.
import type { Command } from 'commander';
import { cleanup, formatCleanup } from '../runs/cleanup.ts';
import { formatRunTable, listRuns, RUN_STATUSES } from '../runs/list.ts';
import { formatRunLog, runLog } from '../runs/logs.ts';
import { printOutcome, watchAndPrint } from '../runs/output.ts';
import { showRun } from '../runs/show.ts';
import { outcomeOf } from '../runs/watch.ts';
import { positiveInt } from '../common/flags.ts';
import { addOutputOption } from '../common/output.ts';
import { withSession, type SessionFlags } from '../common/session.ts';
import { addTargetOptions } from '../common/target.ts';

/** `-o` and the target flags on a subcommand. */
const connected = (command: Command): Command => addTargetOptions(addOutputOption(command));

/** `conveyor runs …`. */
export function registerRuns(program: Command): void {
  const runs = program
    .command('runs')
    .description('list, show, follow, cancel and clean up training runs (a run’s id is its workflow id)');

  connected(
    runs
      .command('list')
      .description('recent runs, newest first: status, trigger, parameters, key metric, duration')
      .option('--pipeline <name>', 'only runs of this pipeline')
      .option('--status <status>', `only runs in this status: ${Object.keys(RUN_STATUSES).join(', ')}`)
      .option('--limit <n>', 'at most this many', '20')
      .action(async (flags: SessionFlags & { pipeline?: string; status?: string; limit: string }) => {
        const limit = positiveInt(flags.limit, '--limit') ?? 20;
        await withSession(flags, async (s) => {
          const rows = await listRuns(await s.temporal(), {
            pipeline: flags.pipeline,
            status: flags.status,
            limit,
          });
          s.printer.result(rows, () => formatRunTable(rows));
        });
      }),
  );

  connected(
    runs
      .command('show <runId>')
      .description('a run: its request, live stage or result; a sweep: its trials, best and promotion')
      .option(
        '--open',
        "where the run's report is: its gs:// URI and, on the local target, a copy to open in a browser",
      )
      .action(async (runId: string, flags: SessionFlags & { open?: boolean }) =>
        withSession(flags, (s) => showRun(s, runId, flags.open === true)),
      ),
  );

  connected(
    runs
      .command('watch <runId>')
      .description('follow a run to its end: stage, build steps, pipeline tasks; then the result')
      .action(async (runId: string, flags: SessionFlags) =>
        withSession(flags, async (s) => {
          await watchAndPrint((await s.temporal()).workflow.getHandle(runId), s.printer);
        }),
      ),
  );

  connected(
    runs
      .command('cancel <runId>')
      .description('cancel a run: its build or pipeline job is cancelled, then the run ends CANCELLED')
      .addHelpText(
        'after',
        '\n`temporal workflow terminate` is not a cancel: it ends the workflow without running any of its code, so no\n' +
          'cancel reaches the build or pipeline job, which go on (and cost) until they finish. Cancel with this\n' +
          'command (or `temporal workflow cancel`); after a terminate, `conveyor runs cleanup` cancels what is left.',
      )
      .option('--wait', 'wait until the run (and its cloud job) has ended')
      .action(async (runId: string, flags: SessionFlags & { wait?: boolean }) =>
        withSession(flags, async (s) => {
          const handle = (await s.temporal()).workflow.getHandle(runId);
          await handle.cancel();
          if (!flags.wait) {
            s.printer.result({ runId, cancelRequested: true }, () => `cancellation requested for ${runId}`);
            return;
          }
          printOutcome(s.printer, runId, await outcomeOf(handle));
        }),
      ),
  );

  connected(
    runs
      .command('logs <runId>')
      .description("print a run's image build log, or with --task a pipeline task's log")
      .option('--task <name>', 'a pipeline task, e.g. trainer')
      .action(async (runId: string, flags: SessionFlags & { task?: string }) =>
        withSession(flags, async (s) => {
          const log = await runLog(s, runId, flags.task);
          s.printer.result(log, () => formatRunLog(log));
        }),
      ),
  );

  connected(
    runs
      .command('cleanup')
      .description(
        'cancel Conveyor builds and pipeline jobs whose run is gone (after `temporal workflow terminate`)',
      )
      .option('--dry-run', 'only list what would be cancelled')
      .action(async (flags: SessionFlags & { dryRun?: boolean }) =>
        withSession(flags, async (s) => {
          const report = await cleanup(s, flags.dryRun === true);
          s.printer.result(report, () => formatCleanup(report));
        }),
      ),
  );
}
