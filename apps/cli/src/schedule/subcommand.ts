// The shape every `conveyor schedule` subcommand shares: `-s/--schedule-id` (or the positional id),
// `-o`, the target flags, and the options more than one subcommand takes.
import type { Command } from 'commander';
import { addOutputOption } from '../common/output.ts';
import { withSession, type Session, type SessionFlags } from '../common/session.ts';
import { addTargetOptions } from '../common/target.ts';
import { addAlias, addScheduleId, scheduleIdOf } from './flags.ts';

/** Flags of every schedule subcommand. */
export interface IdFlags extends SessionFlags {
  readonly scheduleId?: string;
}

/** A schedule subcommand with `-s`, `-o` and the target flags; the action gets the session and id. */
export function subcommand<F extends IdFlags>(
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
export function overlapOption(c: Command, what: string, fallback?: string): Command {
  c.option(
    '--overlap-policy <policy>',
    `${what}: Skip, BufferOne, BufferAll, CancelOther, TerminateOther, AllowAll${fallback ? ` (default ${fallback})` : ''}`,
  );
  return addAlias(c, '--overlap <policy>', '--overlap-policy');
}

/** `--notes` (and its `--note` alias) on a command. */
export function notesOptions(c: Command, text: string): Command {
  c.option('--notes <text>', text);
  return addAlias(c, '--note <text>', '--notes');
}
