// `conveyor run`: start one training run by hand, optionally follow it to the end.
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { TrainingRunRequestSchema } from '@conveyor/contracts';
import { declaredParameters } from '@conveyor/pipeline';
import { typeGivenParameters } from '@conveyor/pipeline/spec';
import { getPipeline } from '@conveyor/pipelines';
import { startTrainingRun } from '@conveyor/platform';
import { pipelineNameOf, readLocalSpec, uploadLocalSpec, type LocalSpec } from '../runs/local-spec.ts';
import { watchAndPrint } from '../runs/output.ts';
import { FlagError } from '../common/errors.ts';
import { collect, parseParams } from '../common/flags.ts';
import { addOutputOption } from '../common/output.ts';
import { withSession, type SessionFlags } from '../common/session.ts';
import { addTargetOptions, requireRepoUrl } from '../common/target.ts';

interface RunFlags extends SessionFlags {
  readonly pipeline?: string;
  readonly param?: string[];
  readonly repo?: string;
  readonly branch?: string;
  readonly commit?: string;
  readonly spec?: string;
  readonly id?: string;
  readonly wait?: boolean;
  readonly rebuild?: boolean;
}

/** `run --json` without `--wait`: the started run. */
export interface StartedRun {
  /** The run's id (its workflow id). */
  readonly runId: string;
  /** Temporal's id of this execution. */
  readonly executionRunId: string;
  readonly ui: string | undefined;
  /** The spec the run submits, when `--spec` gave one (a local file's uploaded URI). */
  readonly spec?: string | undefined;
}

/** A manual run's workflow id: `<pipeline>-manual-<time>-<random>`, unique per invocation. */
export function manualWorkflowId(pipeline: string, now: Date): string {
  return `${pipeline}-manual-${now.getTime().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** The pipeline name and the parameters typed now, so a typo fails here and costs nothing. */
function typedRequestParts(
  flags: RunFlags,
  localSpec: LocalSpec | undefined,
): { pipeline: string; parameters: Record<string, unknown> } {
  const raw = parseParams(flags.param);
  const pipeline = flags.pipeline ?? (localSpec ? pipelineNameOf(localSpec.read) : undefined);
  if (!pipeline) throw new FlagError('--pipeline', 'required (a registered pipeline, e.g. penguins)');
  // A spec declares its own parameters (types only); a gs:// spec is typed by the run's first step.
  if (localSpec) return { pipeline, parameters: typeGivenParameters(localSpec.read.parameters, raw) };
  if (flags.spec) return { pipeline, parameters: raw };
  return { pipeline, parameters: typeGivenParameters(declaredParameters(getPipeline(pipeline)), raw) };
}

/** `conveyor run --pipeline P --param k=v … [--rebuild] [--spec file|gs://…] [--wait]`. */
export function registerRun(program: Command): void {
  const command = program
    .command('run')
    .description('start a training run (build → compile → upload → submit → wait); --wait follows it')
    .option('--pipeline <name>', 'registered pipeline, e.g. penguins (with --spec <file>: the spec’s name)')
    .option('--param <name=value>', 'runtime parameter (repeatable)', collect)
    .option('--repo <url>', 'repository to build (default: CONVEYOR_REPO_URL, or this checkout on local)')
    .option('--branch <branch>', 'branch to build (default: CONVEYOR_BRANCH or main)')
    .option('--commit <sha>', 'commit to build (default: the branch head)')
    .option('--rebuild', 'build a new image even when one exists for this commit')
    .option(
      '--spec <file|gs-uri>',
      'submit a compiled spec (kfp JSON/YAML, PipelineJob file): no build, no compile; a file is uploaded to the pipeline root',
    )
    .option('--id <runId>', 'the run’s id, its workflow id (default: <pipeline>-manual-<time>-<random>)')
    .option('--wait', 'follow the run and print its result (exit 2 failed, 4 cancelled)')
    .action(async (flags: RunFlags) => {
      const localSpec =
        flags.spec && !flags.spec.startsWith('gs://') ? await readLocalSpec(flags.spec) : undefined;
      const { pipeline, parameters } = typedRequestParts(flags, localSpec);
      await withSession(flags, async (session) => {
        const { target, printer } = session;
        let spec = flags.spec;
        if (localSpec) {
          const root = target.google.pipelineRoot;
          if (!root)
            throw new FlagError(
              '--spec',
              'a spec file needs the pipeline root: set GOOGLE_CLOUD_PROJECT or CONVEYOR_PIPELINE_ROOT',
            );
          spec = await uploadLocalSpec(await session.store(), root, localSpec);
          printer.note(`uploaded ${localSpec.path} as ${spec}`);
        }
        const now = new Date();
        const request = TrainingRunRequestSchema.parse({
          pipeline,
          parameters,
          source: {
            repoUrl: requireRepoUrl(target, flags.repo),
            branch: flags.branch ?? target.branch,
            ...(flags.commit ? { commit: flags.commit } : {}),
          },
          ...(spec ? { spec } : {}),
          trigger: { kind: 'manual', id: userInfo().username, at: now.toISOString() },
          labels: {},
          rebuild: flags.rebuild === true,
        });
        const runId = flags.id ?? manualWorkflowId(pipeline, now);
        const client = await session.temporal();
        const handle = await startTrainingRun(client, request, {
          workflowId: runId,
          taskQueue: target.taskQueue,
        });
        const ui = session.uiUrl(runId);
        if (!flags.wait) {
          const started: StartedRun = { runId, executionRunId: handle.firstExecutionRunId, ui, spec };
          printer.result(started, () => [`started ${runId}`, ui].filter(Boolean).join('\n'));
          return;
        }
        printer.note([`started ${runId}`, ui].filter(Boolean).join('\n'));
        await watchAndPrint(client.workflow.getHandle(runId), printer);
      });
    });
  addTargetOptions(addOutputOption(command));
}
