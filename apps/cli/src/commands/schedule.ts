import type { Command } from 'commander';
import type { ScheduleOptions, ScheduleSpec, ScheduleUpdateOptions } from '@temporalio/client';
import { listRow, renderView, scheduleView } from '../schedule/describe.ts';
import { withTemporal } from '../schedule/clients.ts';
import {
  FlagError,
  parseDuration,
  parseOverlap,
  parseParams,
  requestOfAction,
  scheduleRequest,
  trainingRunAction,
} from '../schedule/options.ts';

/**
 * Catch-up window when none is given: a run missed during an outage of up to 10 minutes still
 * starts, an older one is dropped (the server's own default is 365 days, which would replay a
 * backlog of training runs after a long outage).
 */
const DEFAULT_CATCHUP_WINDOW = '10m';

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface SpecFlags {
  readonly cron?: string[];
  readonly every?: string[];
  readonly tz?: string;
  readonly jitter?: string;
}

interface CreateFlags extends SpecFlags {
  readonly pipeline: string;
  readonly param?: string[];
  readonly repo?: string;
  readonly branch?: string;
  readonly commit?: string;
  readonly spec?: string;
  readonly overlap: string;
  readonly catchupWindow: string;
  readonly paused?: boolean;
  readonly note?: string;
  readonly remainingActions?: string;
  readonly taskQueue?: string;
  readonly json?: boolean;
}

function specFrom(flags: SpecFlags): ScheduleSpec | undefined {
  if (!flags.cron?.length && !flags.every?.length) return undefined;
  return {
    ...(flags.cron?.length ? { cronExpressions: flags.cron } : {}),
    ...(flags.every?.length
      ? { intervals: flags.every.map((e) => ({ every: parseDuration(e, '--every') })) }
      : {}),
    ...(flags.tz ? { timezone: flags.tz } : {}),
    ...(flags.jitter ? { jitter: parseDuration(flags.jitter, '--jitter') } : {}),
  };
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new FlagError(flag, `'${value}' is not a positive integer`);
  return n;
}

function date(value: string, flag: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new FlagError(flag, `'${value}' is not an ISO 8601 time`);
  return d;
}

function print(json: boolean | undefined, data: unknown, text: string): void {
  console.log(json ? JSON.stringify(data, null, 2) : text);
}

/** `conveyor schedule create|list|describe|pause|unpause|trigger|backfill|update|delete`: Temporal Schedules that `temporal schedule …` manages too. */
export function registerSchedule(program: Command): void {
  const schedule = program
    .command('schedule')
    .description(
      'manage Temporal schedules that start training runs (ordinary schedules: `temporal schedule` works on them too)',
    );

  schedule
    .command('create')
    .argument('<id>', 'schedule id (also the prefix of its runs’ workflow ids)')
    .description('create a schedule that starts trainingRun with typed parameters')
    .option('--cron <expr>', 'cron expression, e.g. "*/3 * * * *" (repeatable)', collect)
    .option('--every <duration>', 'interval, e.g. 2s, 10m, 1h (repeatable)', collect)
    .option('--tz <zone>', 'IANA time zone of the cron expressions, e.g. Europe/Paris (default UTC)')
    .option('--jitter <duration>', 'random delay added to each run, e.g. 30s')
    .option('--pipeline <name>', 'registered pipeline', 'penguins')
    .option('--param <name=value>', 'runtime parameter, typed now against the pipeline (repeatable)', collect)
    .option('--repo <url>', 'repository to build (default CONVEYOR_REPO_URL or this checkout)')
    .option('--branch <name>', 'branch to build (default CONVEYOR_BRANCH or main)')
    .option('--commit <sha>', 'pin a commit')
    .option('--spec <gs-uri>', 'precompiled pipeline spec: skip build and compile')
    .option('--overlap <policy>', 'skip|buffer-one|buffer-all|cancel-other|terminate-other|allow-all', 'skip')
    .option(
      '--catchup-window <duration>',
      'how late a missed run may still start after an outage',
      DEFAULT_CATCHUP_WINDOW,
    )
    .option('--paused', 'create it paused')
    .option('--note <text>', 'note shown with the paused state')
    .option('--remaining-actions <n>', 'stop after n runs')
    .option(
      '--task-queue <name>',
      'task queue of the runs (default CONVEYOR_TASK_QUEUE or conveyor-training)',
    )
    .option('--json', 'print {id} as JSON')
    .action(async (id: string, flags: CreateFlags) =>
      withTemporal(async (client, env) => {
        const spec = specFrom(flags);
        if (!spec) throw new FlagError('--cron/--every', 'give at least one --cron or --every');
        const request = scheduleRequest(
          {
            pipeline: flags.pipeline,
            params: parseParams(flags.param ?? []),
            repoUrl: flags.repo ?? env.repoUrl,
            branch: flags.branch ?? env.CONVEYOR_BRANCH,
            commit: flags.commit,
            spec: flags.spec,
          },
          id,
          new Date(),
        );
        const remaining = positiveInt(flags.remainingActions, '--remaining-actions');
        const options: ScheduleOptions = {
          scheduleId: id,
          spec,
          action: trainingRunAction(request, id, flags.taskQueue ?? env.CONVEYOR_TASK_QUEUE),
          policies: {
            overlap: parseOverlap(flags.overlap),
            catchupWindow: parseDuration(flags.catchupWindow, '--catchup-window'),
          },
          state: {
            paused: flags.paused ?? false,
            ...(flags.note ? { note: flags.note } : {}),
            ...(remaining ? { remainingActions: remaining } : {}),
          },
        };
        await client.schedule.create(options);
        print(flags.json, { id }, `created schedule ${id}${flags.paused ? ' (paused)' : ''}`);
      }),
    );

  schedule
    .command('list')
    .description('list schedules')
    .option('--json', 'print an array of {id, workflowType, paused, note, cron, intervals, nextRun, lastRun}')
    .action(async (flags: { json?: boolean }) =>
      withTemporal(async (client) => {
        const rows = [];
        for await (const s of client.schedule.list()) rows.push(listRow(s));
        rows.sort((a, b) => a.id.localeCompare(b.id));
        const text = rows
          .map(
            (r) =>
              `${r.id}${r.paused ? ' (paused)' : ''}  ${[...r.cron, ...r.intervals.map((i) => `every ${i}`)].join(', ')}  next ${r.nextRun ?? '-'}`,
          )
          .join('\n');
        print(flags.json, rows, text || '(no schedules)');
      }),
    );

  schedule
    .command('describe')
    .argument('<id>')
    .description('show a schedule: spec, policies, next fire times, recent runs with their outcome')
    .option('--json', 'print the description as JSON')
    .action(async (id: string, flags: { json?: boolean }) =>
      withTemporal(async (client) => {
        const view = await scheduleView(client, id);
        print(flags.json, view, renderView(view));
      }),
    );

  for (const verb of ['pause', 'unpause'] as const) {
    schedule
      .command(verb)
      .argument('<id>')
      .description(`${verb} a schedule`)
      .option('--note <text>', 'why (shown by describe and the Web UI)')
      .action(async (id: string, flags: { note?: string }) =>
        withTemporal(async (client) => {
          await client.schedule.getHandle(id)[verb](flags.note);
          console.log(`${verb}d schedule ${id}`);
        }),
      );
  }

  schedule
    .command('trigger')
    .argument('<id>')
    .description('start one run now')
    // skip, like `temporal schedule trigger` (the SDK's trigger() defaults to allow-all): a manual
    // trigger does not pile a second training run onto a running one unless asked to.
    .option('--overlap <policy>', 'overlap policy for this run', 'skip')
    .action(async (id: string, flags: { overlap: string }) =>
      withTemporal(async (client) => {
        await client.schedule.getHandle(id).trigger(parseOverlap(flags.overlap));
        console.log(`triggered schedule ${id}`);
      }),
    );

  schedule
    .command('backfill')
    .argument('<id>')
    .description('run every slot of the schedule between --start and --end')
    .requiredOption('--start <time>', 'ISO 8601 start (inclusive)')
    .requiredOption('--end <time>', 'ISO 8601 end (inclusive: a slot at exactly --end runs)')
    // buffer-all: every slot of a backfill runs, one after another, instead of all at once.
    .option('--overlap <policy>', 'overlap policy of the backfilled runs', 'buffer-all')
    .action(async (id: string, flags: { start: string; end: string; overlap: string }) =>
      withTemporal(async (client) => {
        const start = date(flags.start, '--start');
        const end = date(flags.end, '--end');
        if (end <= start) throw new FlagError('--end', 'must be after --start');
        await client.schedule.getHandle(id).backfill({ start, end, overlap: parseOverlap(flags.overlap) });
        console.log(`backfill of ${id} from ${start.toISOString()} to ${end.toISOString()} requested`);
      }),
    );

  schedule
    .command('update')
    .argument('<id>')
    .description(
      'change a schedule; unspecified parts stay as they are (--cron/--every replace the whole spec)',
    )
    .option('--cron <expr>', 'new cron expression (repeatable)', collect)
    .option('--every <duration>', 'new interval (repeatable)', collect)
    .option('--tz <zone>', 'time zone of the new cron expressions')
    .option('--jitter <duration>', 'jitter of the new spec')
    .option('--param <name=value>', 'new parameters, replacing the old ones, typed now (repeatable)', collect)
    .option('--overlap <policy>', 'new overlap policy')
    .option('--catchup-window <duration>', 'new catch-up window')
    .option('--paused <bool>', 'true or false')
    .option('--note <text>', 'note for the paused state')
    .action(
      async (
        id: string,
        flags: SpecFlags & {
          param?: string[];
          overlap?: string;
          catchupWindow?: string;
          paused?: string;
          note?: string;
        },
      ) =>
        withTemporal(async (client, env) => {
          if (flags.paused !== undefined && !['true', 'false'].includes(flags.paused))
            throw new FlagError('--paused', 'use true or false');
          const spec = specFrom(flags);
          await client.schedule.getHandle(id).update((prev) => {
            let action = prev.action;
            if (flags.param) {
              const old = requestOfAction(prev.action.args);
              if (!old)
                throw new FlagError(
                  '--param',
                  `schedule ${id} does not start a Conveyor training run request`,
                );
              const request = scheduleRequest(
                {
                  pipeline: old.pipeline,
                  params: parseParams(flags.param),
                  repoUrl: old.source.repoUrl,
                  branch: old.source.branch,
                  commit: old.source.commit,
                  spec: old.spec,
                },
                id,
                new Date(),
              );
              action = trainingRunAction(
                request,
                id,
                prev.action.taskQueue ?? env.CONVEYOR_TASK_QUEUE,
              ) as typeof prev.action;
            }
            const next: ScheduleUpdateOptions = {
              ...prev,
              action,
              spec: spec ?? prev.spec,
              policies: {
                ...prev.policies,
                ...(flags.overlap ? { overlap: parseOverlap(flags.overlap) } : {}),
                ...(flags.catchupWindow
                  ? { catchupWindow: parseDuration(flags.catchupWindow, '--catchup-window') }
                  : {}),
              },
              state: {
                ...prev.state,
                ...(flags.paused !== undefined ? { paused: flags.paused === 'true' } : {}),
                ...(flags.note !== undefined ? { note: flags.note } : {}),
              },
            };
            return next;
          });
          console.log(`updated schedule ${id}`);
        }),
    );

  schedule
    .command('delete')
    .argument('<id>')
    .description('delete a schedule (its runs keep going)')
    .action(async (id: string) =>
      withTemporal(async (client) => {
        await client.schedule.getHandle(id).delete();
        console.log(`deleted schedule ${id}`);
      }),
    );
}
