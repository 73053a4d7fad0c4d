// `conveyor schedule …`: Temporal Schedules that start training runs, with `temporal schedule`'s flag
// names. Ordinary schedules: `temporal schedule list|describe|toggle|trigger|backfill|delete` work too.
import type { Command } from 'commander';
import type { ScheduleOptions, ScheduleUpdateOptions } from '@temporalio/client';
import { listRow, renderList, renderView, scheduleView, type ScheduleListRow } from '../schedule/describe.ts';
import {
  addAlias,
  addScheduleId,
  addSpecOptions,
  pick,
  scheduleIdOf,
  specFrom,
  type SpecFlags,
} from '../schedule/flags.ts';
import { parseOverlap, requestOfAction, scheduleRequest, trainingRunAction } from '../schedule/options.ts';
import { FlagError } from '../shared/errors.ts';
import { collect, isoTime, parseDuration, parseParams, positiveInt } from '../shared/flags.ts';
import { addOutputOption } from '../shared/output.ts';
import { withSession, type Session, type SessionFlags } from '../shared/session.ts';
import { addTargetOptions, requireRepoUrl } from '../shared/target.ts';

/**
 * Catch-up window when none is given: a run missed during an outage of up to 10 minutes still
 * starts, an older one is dropped (the server's own default is 365 days, which would replay a
 * backlog of training runs after a long outage).
 */
const DEFAULT_CATCHUP_WINDOW = '10m';

interface IdFlags extends SessionFlags {
  readonly scheduleId?: string;
}

interface CreateFlags extends SpecFlags, IdFlags {
  readonly pipeline: string;
  readonly param?: string[];
  readonly repo?: string;
  readonly branch?: string;
  readonly commit?: string;
  readonly spec?: string;
  readonly overlapPolicy?: string;
  readonly overlap?: string;
  readonly catchupWindow: string;
  readonly pauseOnFailure?: boolean;
  readonly paused?: boolean;
  readonly notes?: string;
  readonly note?: string;
  readonly remainingActions?: string;
  readonly taskQueue?: string;
}

interface UpdateFlags extends SpecFlags, IdFlags {
  readonly param?: string[];
  readonly overlapPolicy?: string;
  readonly overlap?: string;
  readonly catchupWindow?: string;
  readonly pauseOnFailure?: boolean;
  readonly paused?: string;
  readonly notes?: string;
  readonly note?: string;
  readonly remainingActions?: string;
}

/** A schedule subcommand with `-s`, `-o` and the target flags; the action gets the session and id. */
function subcommand<F extends IdFlags>(
  schedule: Command,
  name: string,
  description: string,
  configure: (c: Command) => Command,
  run: (s: Session, id: string, flags: F) => Promise<void>,
): void {
  const command = addScheduleId(schedule.command(name).description(description));
  addTargetOptions(addOutputOption(configure(command))).action(
    async (positional: string | undefined, flags: F) => {
      const id = scheduleIdOf(positional, flags.scheduleId);
      await withSession(flags, (s) => run(s, id, flags));
    },
  );
}

/** `--overlap-policy` (and its `--overlap` alias) on a command. */
function overlapOption(c: Command, what: string, fallback?: string): Command {
  c.option(
    '--overlap-policy <policy>',
    `${what}: Skip, BufferOne, BufferAll, CancelOther, TerminateOther, AllowAll${fallback ? ` (default ${fallback})` : ''}`,
  );
  return addAlias(c, '--overlap <policy>', '--overlap-policy');
}

function notesOptions(c: Command, text: string): Command {
  c.option('--notes <text>', text);
  return addAlias(c, '--note <text>', '--notes');
}

/** `conveyor schedule create|list|describe|pause|unpause|trigger|backfill|update|delete`. */
export function registerSchedule(program: Command): void {
  const schedule = program
    .command('schedule')
    .description(
      'manage Temporal schedules that start training runs (ordinary schedules: `temporal schedule` works on them too)',
    );

  subcommand<CreateFlags>(
    schedule,
    'create',
    'create a schedule that starts trainingRun with typed parameters',
    (c) => {
      addSpecOptions(c, 'create')
        .option('--pipeline <name>', 'registered pipeline', 'penguins')
        .option(
          '--param <name=value>',
          'runtime parameter, typed now against the pipeline (repeatable)',
          collect,
        )
        .option('--repo <url>', 'repository to build (default CONVEYOR_REPO_URL, or this checkout on local)')
        .option('--branch <name>', 'branch to build (default CONVEYOR_BRANCH or main)')
        .option('--commit <sha>', 'pin a commit')
        .option('--spec <gs-uri>', 'precompiled pipeline spec: skip build and compile');
      overlapOption(c, 'what a run does when the previous one still runs', 'Skip')
        .option(
          '--catchup-window <duration>',
          'how late a missed run may still start after an outage',
          DEFAULT_CATCHUP_WINDOW,
        )
        .option('--pause-on-failure', 'pause the schedule when a run fails')
        .option('--paused', 'create it paused');
      return notesOptions(c, 'notes shown with the schedule’s state')
        .option('--remaining-actions <n>', 'stop after n runs')
        .option(
          '--task-queue <name>',
          'task queue of the runs (default CONVEYOR_TASK_QUEUE or conveyor-training)',
        );
    },
    async (s, id, flags) => {
      const spec = specFrom(flags);
      if (!spec) throw new FlagError('--cron/--interval', 'give at least one --cron or --interval');
      const request = scheduleRequest(
        {
          pipeline: flags.pipeline,
          params: parseParams(flags.param),
          repoUrl: requireRepoUrl(s.target, flags.repo),
          branch: flags.branch ?? s.target.branch,
          commit: flags.commit,
          spec: flags.spec,
        },
        id,
        new Date(),
      );
      const remaining = positiveInt(flags.remainingActions, '--remaining-actions');
      const notes = pick(flags.notes, flags.note);
      const options: ScheduleOptions = {
        scheduleId: id,
        spec,
        action: trainingRunAction(request, id, flags.taskQueue ?? s.target.taskQueue),
        policies: {
          overlap: parseOverlap(pick(flags.overlapPolicy, flags.overlap) ?? 'Skip'),
          catchupWindow: parseDuration(flags.catchupWindow, '--catchup-window'),
          pauseOnFailure: flags.pauseOnFailure === true,
        },
        state: {
          paused: flags.paused ?? false,
          ...(notes ? { note: notes } : {}),
          ...(remaining ? { remainingActions: remaining } : {}),
        },
      };
      await (await s.temporal()).schedule.create(options);
      s.printer.result(
        { scheduleId: id, paused: flags.paused ?? false },
        () => `created schedule ${id}${flags.paused ? ' (paused)' : ''}`,
      );
    },
  );

  addTargetOptions(
    addOutputOption(
      schedule
        .command('list')
        .description('list schedules')
        .action(async (flags: SessionFlags) =>
          withSession(flags, async (s) => {
            const rows: ScheduleListRow[] = [];
            for await (const summary of (await s.temporal()).schedule.list()) rows.push(listRow(summary));
            rows.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
            s.printer.result(rows, () => renderList(rows));
          }),
        ),
    ),
  );

  subcommand(
    schedule,
    'describe',
    'show a schedule: spec, policies, next fire times, recent runs with their outcome',
    (c) => c,
    async (s, id) => {
      const view = await scheduleView(await s.temporal(), id);
      s.printer.result(view, () => renderView(view));
    },
  );

  for (const verb of ['pause', 'unpause'] as const) {
    subcommand<IdFlags & { reason?: string; note?: string }>(
      schedule,
      verb,
      `${verb} a schedule (temporal schedule toggle --${verb})`,
      (c) =>
        addAlias(
          c.option('--reason <text>', 'why (shown by describe and the Web UI)'),
          '--note <text>',
          '--reason',
        ),
      async (s, id, flags) => {
        await (await s.temporal()).schedule.getHandle(id)[verb](pick(flags.reason, flags.note));
        s.printer.result({ scheduleId: id, paused: verb === 'pause' }, () => `${verb}d schedule ${id}`);
      },
    );
  }

  subcommand<IdFlags & { overlapPolicy?: string; overlap?: string }>(
    schedule,
    'trigger',
    'start one run now',
    // Skip, like `temporal schedule trigger` (the SDK's trigger() defaults to allow-all): a manual
    // trigger does not pile a second training run onto a running one unless asked to.
    (c) => overlapOption(c, 'overlap policy of this run', 'Skip'),
    async (s, id, flags) => {
      await (
        await s.temporal()
      ).schedule
        .getHandle(id)
        .trigger(parseOverlap(pick(flags.overlapPolicy, flags.overlap) ?? 'Skip'));
      s.printer.result({ scheduleId: id, triggered: true }, () => `triggered schedule ${id}`);
    },
  );

  subcommand<
    IdFlags & {
      startTime?: string;
      endTime?: string;
      start?: string;
      end?: string;
      overlapPolicy?: string;
      overlap?: string;
    }
  >(
    schedule,
    'backfill',
    'run every slot of the schedule between --start-time and --end-time',
    (c) => {
      c.option('--start-time <time>', 'ISO 8601 start (inclusive)').option(
        '--end-time <time>',
        'ISO 8601 end (inclusive: a slot at exactly --end-time runs)',
      );
      addAlias(c, '--start <time>', '--start-time');
      addAlias(c, '--end <time>', '--end-time');
      // BufferAll: every slot of a backfill runs, one after another, instead of all at once.
      return overlapOption(c, 'overlap policy of the backfilled runs', 'BufferAll');
    },
    async (s, id, flags) => {
      const startText = pick(flags.startTime, flags.start);
      const endText = pick(flags.endTime, flags.end);
      if (!startText) throw new FlagError('--start-time', 'required');
      if (!endText) throw new FlagError('--end-time', 'required');
      const start = isoTime(startText, '--start-time');
      const end = isoTime(endText, '--end-time');
      if (end <= start) throw new FlagError('--end-time', 'must be after --start-time');
      const overlap = parseOverlap(pick(flags.overlapPolicy, flags.overlap) ?? 'BufferAll');
      await (await s.temporal()).schedule.getHandle(id).backfill({ start, end, overlap });
      s.printer.result(
        { scheduleId: id, start: start.toISOString(), end: end.toISOString() },
        () => `backfill of ${id} from ${start.toISOString()} to ${end.toISOString()} requested`,
      );
    },
  );

  subcommand<UpdateFlags>(
    schedule,
    'update',
    'change a schedule; what no flag names stays as it is (--cron/--interval replace the whole spec)',
    (c) => {
      addSpecOptions(c, 'update').option(
        '--param <name=value>',
        'new parameters, replacing the old ones, typed now (repeatable)',
        collect,
      );
      overlapOption(c, 'new overlap policy')
        .option('--catchup-window <duration>', 'new catch-up window')
        .option('--pause-on-failure', 'pause the schedule when a run fails')
        .option('--no-pause-on-failure', 'do not pause it when a run fails')
        .option('--paused <bool>', 'true or false')
        .option('--remaining-actions <n>', 'stop after n more runs');
      return notesOptions(c, 'notes of the schedule’s state');
    },
    async (s, id, flags) => {
      if (flags.paused !== undefined && !['true', 'false'].includes(flags.paused))
        throw new FlagError('--paused', 'use true or false');
      const spec = specFrom(flags);
      const overlap = pick(flags.overlapPolicy, flags.overlap);
      const notes = pick(flags.notes, flags.note);
      const remaining = positiveInt(flags.remainingActions, '--remaining-actions');
      await (await s.temporal()).schedule.getHandle(id).update((prev) => {
        let action = prev.action;
        if (flags.param) {
          const old = requestOfAction(prev.action.args);
          if (!old)
            throw new FlagError('--param', `schedule ${id} does not start a Conveyor training run request`);
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
            prev.action.taskQueue ?? s.target.taskQueue,
          ) as typeof prev.action;
        }
        const next: ScheduleUpdateOptions = {
          ...prev,
          action,
          spec: spec ?? prev.spec,
          policies: {
            ...prev.policies,
            ...(overlap ? { overlap: parseOverlap(overlap) } : {}),
            ...(flags.catchupWindow
              ? { catchupWindow: parseDuration(flags.catchupWindow, '--catchup-window') }
              : {}),
            ...(flags.pauseOnFailure !== undefined ? { pauseOnFailure: flags.pauseOnFailure } : {}),
          },
          state: {
            ...prev.state,
            ...(flags.paused !== undefined ? { paused: flags.paused === 'true' } : {}),
            ...(notes !== undefined ? { note: notes } : {}),
            ...(remaining !== undefined ? { remainingActions: remaining } : {}),
          },
        };
        return next;
      });
      s.printer.result({ scheduleId: id, updated: true }, () => `updated schedule ${id}`);
    },
  );

  subcommand(
    schedule,
    'delete',
    'delete a schedule (its runs keep going)',
    (c) => c,
    async (s, id) => {
      await (await s.temporal()).schedule.getHandle(id).delete();
      s.printer.result({ scheduleId: id, deleted: true }, () => `deleted schedule ${id}`);
    },
  );
}
