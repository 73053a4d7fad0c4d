// `conveyor schedule update`: what no flag names stays as it is; `--param` re-types the request
// against the schedule's pipeline; `--cron`/`--interval` replace the whole spec.
import type { Command } from 'commander';
import type { ScheduleDescription, ScheduleUpdateOptions } from '@temporalio/client';
import { FlagError } from '../common/errors.ts';
import { collect, parseDuration, parseParams, positiveInt } from '../common/flags.ts';
import { addSpecOptions, pick, specFrom, type SpecFlags } from './flags.ts';
import { parseOverlap, requestOfAction, scheduleRequest, trainingRunAction } from './options.ts';
import { notesOptions, overlapOption, subcommand, type IdFlags } from './subcommand.ts';

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

function updateOptions(c: Command): Command {
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
}

/** The action with the new parameters, typed against the pipeline of the request it starts now. */
function actionWithParams(
  prev: ScheduleDescription,
  id: string,
  params: string[],
  taskQueue: string,
): ScheduleDescription['action'] {
  const old = requestOfAction(prev.action.args);
  if (!old) throw new FlagError('--param', `schedule ${id} does not start a Conveyor training run request`);
  const request = scheduleRequest(
    {
      pipeline: old.pipeline,
      params: parseParams(params),
      repoUrl: old.source.repoUrl,
      branch: old.source.branch,
      commit: old.source.commit,
      spec: old.spec,
    },
    id,
    new Date(),
  );
  return trainingRunAction(request, id, prev.action.taskQueue ?? taskQueue) as ScheduleDescription['action'];
}

/**
 * The updated schedule: `prev` with what the flags change (called by the SDK with the schedule as it
 * is; what it throws ends the update unchanged).
 * @throws FlagError naming the flag.
 */
function updated(
  prev: ScheduleDescription,
  id: string,
  flags: UpdateFlags,
  taskQueue: string,
): ScheduleUpdateOptions {
  const spec = specFrom(flags);
  const overlap = pick(flags.overlapPolicy, flags.overlap);
  const notes = pick(flags.notes, flags.note);
  const remaining = positiveInt(flags.remainingActions, '--remaining-actions');
  return {
    ...prev,
    action: flags.param ? actionWithParams(prev, id, flags.param, taskQueue) : prev.action,
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
}

/** Registers `conveyor schedule update`. */
export function registerUpdate(schedule: Command): void {
  subcommand<UpdateFlags>(
    schedule,
    'update',
    'change a schedule; what no flag names stays as it is (--cron/--interval replace the whole spec)',
    updateOptions,
    async (s, id, flags) => {
      if (flags.paused !== undefined && !['true', 'false'].includes(flags.paused))
        throw new FlagError('--paused', 'use true or false');
      await (
        await s.temporal()
      ).schedule
        .getHandle(id)
        .update((prev) => updated(prev, id, flags, s.target.taskQueue));
      s.printer.result({ scheduleId: id, updated: true }, () => `updated schedule ${id}`);
    },
  );
}
