// `conveyor schedule …`: Temporal Schedules that start training runs, with `temporal schedule`'s flag
// names. Ordinary schedules: `temporal schedule list|describe|toggle|trigger|backfill|delete` work too.
// One function per responsibility: creating and updating (src/schedule/create.ts, update.ts), reading,
// changing the state, starting runs now or for the past, deleting.
import type { Command } from 'commander';
import { registerCreate } from '../schedule/create.ts';
import { listRow, renderList, renderView, scheduleView, type ScheduleListRow } from '../schedule/describe.ts';
import { addAlias, pick } from '../schedule/flags.ts';
import { parseOverlap } from '../schedule/options.ts';
import { overlapOption, subcommand, type IdFlags } from '../schedule/subcommand.ts';
import { registerUpdate } from '../schedule/update.ts';
import { FlagError } from '../common/errors.ts';
import { isoTime } from '../common/flags.ts';
import { addOutputOption } from '../common/output.ts';
import { withSession, type SessionFlags } from '../common/session.ts';
import { addTargetOptions } from '../common/target.ts';

/** `schedule list` and `schedule describe`. */
function registerReads(schedule: Command): void {
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
}

/** `schedule pause|unpause`. */
function registerToggles(schedule: Command): void {
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
}

/** `schedule trigger` (one run now) and `schedule backfill` (every slot of a past range). */
function registerRunsNow(schedule: Command): void {
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
}

/** `schedule delete`. */
function registerDelete(schedule: Command): void {
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

/** `conveyor schedule create|list|describe|pause|unpause|trigger|backfill|update|delete`. */
export function registerSchedule(program: Command): void {
  const schedule = program
    .command('schedule')
    .description(
      'manage Temporal schedules that start training runs (ordinary schedules: `temporal schedule` works on them too)',
    );
  registerCreate(schedule);
  registerReads(schedule);
  registerToggles(schedule);
  registerRunsNow(schedule);
  registerUpdate(schedule);
  registerDelete(schedule);
}
