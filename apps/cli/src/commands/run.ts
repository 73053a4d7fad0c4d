// `conveyor run`: start one training run by hand, optionally follow it to the end.
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { TrainingRunRequestSchema } from '@conveyor/contracts';
import { declaredParameters } from '@conveyor/pipeline';
import { typeParameters } from '@conveyor/pipeline/spec';
import { getPipeline } from '@conveyor/pipelines';
import { startTrainingRun } from '@conveyor/platform';
import { withTemporal } from '../schedule/clients.ts';
import { parseParams } from '../schedule/options.ts';
import { watchAndPrint } from '../runs/output.ts';
import { runUiUrl } from '../runs/ui.ts';

interface RunFlags {
  pipeline: string;
  param: string[];
  repo?: string;
  branch?: string;
  commit?: string;
  spec?: string;
  id?: string;
  wait?: boolean;
  json?: boolean;
}

/** A manual run's workflow id: `<pipeline>-manual-<time>-<random>`, unique per invocation. */
export function manualWorkflowId(pipeline: string, now: Date): string {
  return `${pipeline}-manual-${now.getTime().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** `conveyor run --pipeline P --param k=v … [--repo --branch --commit] [--spec gs://…] [--wait] [--json]`. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('start a training run (build → compile → upload → submit → wait); --wait follows it')
    .requiredOption('--pipeline <name>', 'registered pipeline, e.g. penguins')
    .option(
      '--param <name=value>',
      'runtime parameter (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option('--repo <url>', 'repository to build (default: CONVEYOR_REPO_URL or this checkout)')
    .option('--branch <branch>', 'branch to build (default: CONVEYOR_BRANCH or main)')
    .option('--commit <sha>', 'commit to build (default: the branch head)')
    .option('--spec <gs-uri>', 'submit this precompiled spec: no build, no compile')
    .option('--id <workflowId>', 'workflow id (default: <pipeline>-manual-<time>-<random>)')
    .option('--wait', 'follow the run and print its result')
    .option('--json', 'machine-readable output')
    .action(async (flags: RunFlags) => {
      const raw = parseParams(flags.param);
      // Type now, with the function the workflow uses, so a typo fails here and costs nothing.
      // A precompiled spec declares its own parameters: the run's first step types against it.
      let parameters: Record<string, unknown> = raw;
      if (!flags.spec) {
        const typed = typeParameters(declaredParameters(getPipeline(flags.pipeline)), raw);
        parameters = Object.fromEntries(
          Object.keys(raw)
            .sort()
            .map((k) => [k, typed[k]]),
        );
      }
      await withTemporal(async (client, env) => {
        const now = new Date();
        const request = TrainingRunRequestSchema.parse({
          pipeline: flags.pipeline,
          parameters,
          source: {
            repoUrl: flags.repo ?? env.repoUrl,
            branch: flags.branch ?? env.CONVEYOR_BRANCH,
            ...(flags.commit ? { commit: flags.commit } : {}),
          },
          ...(flags.spec ? { spec: flags.spec } : {}),
          trigger: { kind: 'manual', id: userInfo().username, at: now.toISOString() },
          labels: {},
        });
        const workflowId = flags.id ?? manualWorkflowId(flags.pipeline, now);
        const handle = await startTrainingRun(client, request, {
          workflowId,
          taskQueue: env.CONVEYOR_TASK_QUEUE,
        });
        const ui = runUiUrl(env, workflowId);
        if (!flags.wait) {
          if (flags.json)
            console.log(JSON.stringify({ workflowId, runId: handle.firstExecutionRunId, ui }, null, 2));
          else console.log(`started ${workflowId}\n${ui}`);
          return;
        }
        if (!flags.json) console.error(`started ${workflowId}\n${ui}`);
        await watchAndPrint(client.workflow.getHandle(workflowId), flags.json === true);
      });
    });
}
