// `conveyor models list|pull`: the pushed models of a pipeline in its serving root.
import type { Command } from 'commander';
import { listModels, pullModel, servingPlace } from '../models/serving.ts';
import { addOutputOption } from '../common/output.ts';
import { withSession, type SessionFlags } from '../common/session.ts';
import { addTargetOptions } from '../common/target.ts';
import { formatTable } from '../common/table.ts';

interface ModelFlags extends SessionFlags {
  readonly pipeline: string;
  readonly servingRoot?: string;
}

function modelOptions(command: Command): Command {
  return addTargetOptions(
    addOutputOption(
      command
        .option('--pipeline <name>', 'registered pipeline', 'penguins')
        .option(
          '--serving-root <gs-uri>',
          'serving root (default: the worker’s operator setting, CONVEYOR_PIPELINE_SETTINGS, or the declared default)',
        ),
    ),
  );
}

/** `conveyor models list|pull`. */
export function registerModels(program: Command): void {
  const models = program
    .command('models')
    .description('list and download the models pipelines pushed to their serving root');

  modelOptions(
    models.command('list').description('pushed versions, newest first; LATEST marks the served one'),
  ).action(async (flags: ModelFlags) =>
    withSession(flags, async (s) => {
      const list = await listModels(
        await s.store(),
        servingPlace(flags.pipeline, s.target.pipelineSettings, flags.servingRoot),
      );
      s.printer.result(list, () =>
        list.versions.length === 0
          ? `no models under ${list.root}`
          : `${list.root}\n${formatTable(
              ['', 'VERSION', 'FILES', 'URI'],
              list.versions.map((v) => [v.latest ? 'LATEST' : '', v.version, String(v.files), v.uri]),
            )}`,
      );
    }),
  );

  modelOptions(
    models
      .command('pull')
      .description('download a version (default: LATEST) into a directory')
      .option('--version <version>', 'the version folder (default: the one LATEST points at)')
      .option('--out <dir>', 'where to put the files (default ./<pipeline>-<version>)'),
  ).action(async (flags: ModelFlags & { version?: string; out?: string }) =>
    withSession(flags, async (s) => {
      const place = servingPlace(flags.pipeline, s.target.pipelineSettings, flags.servingRoot);
      const pulled = await pullModel(await s.store(), place, flags.version, flags.out);
      s.printer.result(
        pulled,
        () => `pulled ${pulled.uri} (${pulled.files.length} files) into ${pulled.dir}`,
      );
    }),
  );
}
