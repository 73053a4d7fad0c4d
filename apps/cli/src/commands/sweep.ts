// `conveyor sweep`: a hyperparameter sweep — one image, every trial a child run, the best model promoted.
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { GoalSchema, MAX_SWEEP_PARALLEL, sweepTrials } from '@conveyor/contracts';
import { startTrainingSweep } from '@conveyor/platform';
import { followSweep, printSweepOutcome } from '../sweep/follow.ts';
import { checkSweepRequest, parseGrid, sweepWorkflowId, typeSweepParameters } from '../sweep/request.ts';
import { sweepProgressLine } from '../sweep/view.ts';
import { FlagError } from '../common/errors.ts';
import { collect, nonNegativeInt, parseParams, positiveInt } from '../common/flags.ts';
import { addOutputOption } from '../common/output.ts';
import { withSession, type SessionFlags } from '../common/session.ts';
import { addTargetOptions, requireRepoUrl } from '../common/target.ts';

interface SweepFlags extends SessionFlags {
  readonly pipeline: string;
  readonly grid?: string[];
  readonly param?: string[];
  readonly random?: string;
  readonly seed?: string;
  readonly parallel?: string;
  readonly metric: string;
  readonly goal: string;
  readonly rebuild?: boolean;
  readonly repo?: string;
  readonly branch?: string;
  readonly commit?: string;
  readonly id?: string;
  readonly wait?: boolean;
}

/** `sweep -o json` without `--wait`: the started sweep. */
export interface StartedSweep {
  /** The sweep's id (its workflow id); trials are `<id>-trial-<n>`. */
  readonly runId: string;
  readonly executionRunId: string;
  readonly trials: number;
  readonly ui: string | undefined;
}

/** `conveyor sweep --pipeline P --grid k=v1,v2 … [--random N --seed S] [--parallel K] [--metric M --goal max|min] [--wait]`. */
export function registerSweep(program: Command): void {
  const command = program
    .command('sweep')
    .description('a hyperparameter sweep: build once, run every trial (child runs), promote the best model')
    .requiredOption('--pipeline <name>', 'registered pipeline, e.g. penguins')
    .option(
      '--grid <name=v1,v2,…>',
      'values to try for a parameter (repeatable): trials are every combination',
      collect,
    )
    .option('--param <name=value>', 'a parameter every trial shares (repeatable)', collect)
    .option('--random <n>', 'random search: run n distinct combinations of the grid')
    .option('--seed <n>', 'seed of --random (default 0: the same trials every time)')
    .option('--parallel <k>', `trials running at once (1..${MAX_SWEEP_PARALLEL}, default 2)`)
    .option('--metric <name>', 'metric that picks the best trial', 'accuracy')
    .option('--goal <goal>', 'max or min', 'max')
    .option('--rebuild', 'build a new image even when one exists for this commit')
    .option('--repo <url>', 'repository to build (default: CONVEYOR_REPO_URL, or this checkout on local)')
    .option('--branch <branch>', 'branch to build (default: CONVEYOR_BRANCH or main)')
    .option('--commit <sha>', 'commit to build (default: the branch head)')
    .option('--id <sweepId>', 'the sweep’s id, its workflow id (default: <pipeline>-sweep-<time>-<random>)')
    .option(
      '--wait',
      'follow the sweep; print the trials sorted by the metric, the best and what was promoted',
    )
    .action(async (flags: SweepFlags) => {
      const goal = GoalSchema.safeParse(flags.goal);
      if (!goal.success) throw new FlagError('--goal', `'${flags.goal}' is not max or min`);
      const count = positiveInt(flags.random, '--random');
      const seed = nonNegativeInt(flags.seed, '--seed');
      if (seed !== undefined && count === undefined) throw new FlagError('--seed', 'only with --random');
      const parallel = positiveInt(flags.parallel, '--parallel');
      const typed = typeSweepParameters(flags.pipeline, parseParams(flags.param), parseGrid(flags.grid));
      await withSession(flags, async (session) => {
        const { target, printer } = session;
        const now = new Date();
        const request = checkSweepRequest({
          pipeline: flags.pipeline,
          source: {
            repoUrl: requireRepoUrl(target, flags.repo),
            branch: flags.branch ?? target.branch,
            ...(flags.commit ? { commit: flags.commit } : {}),
          },
          trigger: { kind: 'manual', id: userInfo().username, at: now.toISOString() },
          parameters: typed.parameters,
          grid: typed.grid,
          ...(count !== undefined ? { random: { count, seed: seed ?? 0 } } : {}),
          ...(parallel !== undefined ? { parallel } : {}),
          metric: flags.metric,
          goal: goal.data,
          rebuild: flags.rebuild === true,
        });
        const sweepId = flags.id ?? sweepWorkflowId(flags.pipeline, now);
        const client = await session.temporal();
        const handle = await startTrainingSweep(client, request, {
          workflowId: sweepId,
          taskQueue: target.taskQueue,
        });
        const ui = session.uiUrl(sweepId);
        // The workflow plans the same trials from the same grid (deterministic, seeded).
        const trials = sweepTrials(request.grid, request.random).length;
        if (!flags.wait) {
          const started: StartedSweep = {
            runId: sweepId,
            executionRunId: handle.firstExecutionRunId,
            trials,
            ui,
          };
          printer.result(started, () =>
            [`started sweep ${sweepId} (${trials} trials)`, ui].filter(Boolean).join('\n'),
          );
          return;
        }
        printer.note([`started sweep ${sweepId} (${trials} trials)`, ui].filter(Boolean).join('\n'));
        const outcome = await followSweep(client.workflow.getHandle(sweepId), (p) =>
          printer.note(sweepProgressLine(p)),
        );
        printSweepOutcome(printer, sweepId, outcome, request);
      });
    });
  addTargetOptions(addOutputOption(command));
}
