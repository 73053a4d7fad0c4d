import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { compilePipeline, parseImageReference } from '@conveyor/pipeline';
import { getPipeline } from '@conveyor/pipelines';
import { addOutputOption, formatOf, Printer, type OutputFlags } from '../common/output.ts';

interface CompileFlags extends OutputFlags {
  readonly image: string;
  readonly out?: string;
}

/**
 * `conveyor compile <pipeline> --image URI [--out file.json] [-o json]`.
 * Without --out the spec's exact bytes go to stdout (so `> file` keeps its sha256) and the sha256 to
 * stderr; with -o json stdout is one JSON object `{pipeline, image, sha256, bytes, out | spec}`.
 */
export function registerCompile(program: Command): void {
  const command = program
    .command('compile')
    .description('compile a registered pipeline to a Vertex/KFP PipelineSpec (schemaVersion 2.1.0)')
    .argument('<pipeline>', 'registered pipeline name, e.g. penguins')
    .requiredOption('--image <uri>', 'image the components run, [registry/]name[:tag][@sha256:<64 hex>]')
    .option('--out <file>', 'write the spec to this file instead of stdout')
    .action(async (name: string, flags: CompileFlags) => {
      const printer = new Printer(formatOf(flags));
      const pipeline = getPipeline(name);
      parseImageReference(flags.image);
      const compiled = compilePipeline(pipeline, { image: flags.image });
      const bytes = Buffer.byteLength(compiled.json);
      const out = flags.out === undefined ? undefined : resolve(flags.out);
      if (out !== undefined) {
        await mkdir(dirname(out), { recursive: true });
        await writeFile(out, compiled.json);
      }
      if (printer.machine) {
        const where = out === undefined ? { spec: compiled.spec } : { out };
        printer.result(
          { pipeline: name, image: flags.image, sha256: compiled.sha256, bytes, ...where },
          () => '',
        );
      } else if (out === undefined) {
        process.stdout.write(compiled.json);
        console.error(`sha256 ${compiled.sha256}`);
      } else {
        console.log(`wrote ${out} (${bytes} bytes)\nsha256 ${compiled.sha256}`);
      }
    });
  addOutputOption(command);
}
