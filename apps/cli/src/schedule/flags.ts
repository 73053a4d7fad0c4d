// The flags of `conveyor schedule`, named as `temporal schedule` names them. Conveyor's older short
// names stay as hidden aliases: --every (--interval), --tz (--time-zone), --overlap
// (--overlap-policy), --note (--notes), --start/--end (backfill's --start-time/--end-time).
import { Option, type Command } from 'commander';
import type { ScheduleSpec } from '@temporalio/client';
import { FlagError } from '../common/errors.ts';
import { collect, isoTime, parseDuration } from '../common/flags.ts';

/** Adds a hidden alias of a documented flag (it lands in its own key; {@link pick} merges them). */
export function addAlias(command: Command, flags: string, of: string, repeatable = false): Command {
  const option = new Option(flags, `alias of ${of}`).hideHelp();
  return command.addOption(repeatable ? option.argParser(collect) : option);
}

/** The value of a flag or its alias (the documented flag wins). */
export function pick<T>(main: T | undefined, alias: T | undefined): T | undefined {
  return main ?? alias;
}

/** `--schedule-id` or the positional id (both are accepted; they must agree). */
export function scheduleIdOf(positional: string | undefined, flag: string | undefined): string {
  if (positional && flag && positional !== flag)
    throw new FlagError('--schedule-id', `'${flag}' and the argument '${positional}' differ`);
  const id = flag ?? positional;
  if (!id) throw new FlagError('--schedule-id', 'required (or give the id as the argument)');
  return id;
}

/** `-s, --schedule-id` and the optional positional id on a subcommand. */
export function addScheduleId(command: Command): Command {
  return command
    .argument('[id]', 'schedule id (or -s/--schedule-id)')
    .option('-s, --schedule-id <id>', 'schedule id (also the prefix of its runs’ workflow ids)');
}

/** The spec flags as given. */
export interface SpecFlags {
  readonly cron?: string[];
  readonly interval?: string[];
  readonly every?: string[];
  readonly timeZone?: string;
  readonly tz?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly jitter?: string;
}

/** Adds `--cron`, `--interval`, `--time-zone`, `--start-time`, `--end-time`, `--jitter` (and aliases). */
export function addSpecOptions(command: Command, verb: 'create' | 'update'): Command {
  const replaces = verb === 'update' ? ' (replaces the whole spec)' : '';
  command
    .option('--cron <expr>', `cron expression, e.g. "*/3 * * * *" (repeatable)${replaces}`, collect)
    .option(
      '--interval <every[/offset]>',
      `interval, e.g. 2s, 10m, 90m/15m with a phase offset (repeatable)${replaces}`,
      collect,
    )
    .option('--time-zone <tz>', 'IANA time zone of the cron expressions, e.g. Europe/Paris (default UTC)')
    .option('--start-time <time>', 'no run before this ISO 8601 time')
    .option('--end-time <time>', 'no run after this ISO 8601 time')
    .option('--jitter <duration>', 'random delay added to each run, e.g. 30s');
  addAlias(command, '--every <duration>', '--interval', true);
  return addAlias(command, '--tz <zone>', '--time-zone');
}

/** `90m` or `90m/15m` → every and offset in milliseconds. */
function interval(value: string): { every: number; offset?: number } {
  const [every, offset, extra] = value.split('/');
  if (extra !== undefined || !every)
    throw new FlagError('--interval', `'${value}' is not <every>[/<offset>]`);
  return {
    every: parseDuration(every, '--interval'),
    ...(offset ? { offset: parseDuration(offset, '--interval') } : {}),
  };
}

/**
 * The schedule spec the flags describe, or undefined when they give no cron and no interval.
 * @throws FlagError naming the flag
 */
export function specFrom(flags: SpecFlags): ScheduleSpec | undefined {
  const crons = flags.cron ?? [];
  const intervals = [...(flags.interval ?? []), ...(flags.every ?? [])];
  if (crons.length === 0 && intervals.length === 0) {
    for (const [flag, value] of [
      ['--time-zone', pick(flags.timeZone, flags.tz)],
      ['--start-time', flags.startTime],
      ['--end-time', flags.endTime],
      ['--jitter', flags.jitter],
    ] as const)
      if (value !== undefined) throw new FlagError(flag, 'goes with --cron or --interval');
    return undefined;
  }
  const startAt = flags.startTime ? isoTime(flags.startTime, '--start-time') : undefined;
  const endAt = flags.endTime ? isoTime(flags.endTime, '--end-time') : undefined;
  if (startAt && endAt && endAt <= startAt) throw new FlagError('--end-time', 'must be after --start-time');
  const timezone = pick(flags.timeZone, flags.tz);
  return {
    ...(crons.length ? { cronExpressions: crons } : {}),
    ...(intervals.length ? { intervals: intervals.map(interval) } : {}),
    ...(timezone ? { timezone } : {}),
    ...(startAt ? { startAt } : {}),
    ...(endAt ? { endAt } : {}),
    ...(flags.jitter ? { jitter: parseDuration(flags.jitter, '--jitter') } : {}),
  };
}
