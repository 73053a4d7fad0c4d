// `conveyor schedule create`: a schedule whose action starts `trainingRun` with a request typed now.
import type { Command } from 'commander';
import type { ScheduleOptions } from '@temporalio/client';
import { FlagError } from '../common/errors.ts';
import { collect, parseDuration, parseParams, positiveInt } from '../common/flags.ts';
import type { Session } from '../common/session.ts';
import { requireRepoUrl } from '../common/target.ts';
import { addSpecOptions, pick, specFrom, type SpecFlags } from './flags.ts';
import { parseOverlap, scheduleRequest, trainingRunAction } from './options.ts';
import { notesOptions, overlapOption, subcommand, type IdFlags } from './subcommand.ts';

/**
 * Catch-up window when none is given: a run missed during an outage of up to 10 minutes still
 * starts, an older one is dropped (the server's own default is 365 days, which would replay a
 * backlog of training runs after a long outage).
 */
const DEFAULT_CATCHUP_WINDOW = '10m';

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

function createOptions(c: Command): Command {
  addSpecOptions(c, 'create')
    .option('--pipeline <name>', 'registered pipeline', 'penguins')
    .option('--param <name=value>', 'runtime parameter, typed now against the pipeline (repeatable)', collect)
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
}

/** The schedule's options from the flags (parameters typed now). @throws FlagError naming the flag. */
function scheduleOptions(s: Session, id: string, flags: CreateFlags): ScheduleOptions {
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
  return {
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
}

/** Registers `conveyor schedule create`. */
export function registerCreate(schedule: Command): void {
  subcommand<CreateFlags>(
    schedule,
    'create',
    'create a schedule that starts trainingRun with typed parameters',
    createOptions,
    async (s, id, flags) => {
      await (await s.temporal()).schedule.create(scheduleOptions(s, id, flags));
      s.printer.result(
        { scheduleId: id, paused: flags.paused ?? false },
        () => `created schedule ${id}${flags.paused ? ' (paused)' : ''}`,
      );
    },
  );
}
