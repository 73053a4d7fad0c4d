// CLI start-up benchmark: spawns `conveyor` (apps/cli/src/main.ts, as `npx conveyor` runs it) for
// commands that need no stack, --repeat times each, interleaved, and prints the wall time from spawn
// to exit per command as JSON. `--help` and `--version` load every command group; `<group> --help`
// and `compile` load only their own group (apps/cli/src/main.ts), which is what most commands pay.
//
//   npx node bench/src/cli-start.ts [--repeat 5]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '@conveyor/platform/repo-root';
import { cliStartReport, type CliSample } from './cli-start-report.ts';

const { values: args } = parseArgs({ options: { repeat: { type: 'string', default: '5' } } });
const repeat = Number(args.repeat);
if (!Number.isInteger(repeat) || repeat < 1)
  throw new Error(`--repeat: a positive integer, not '${args.repeat}'`);

const COMMANDS: readonly (readonly string[])[] = [
  ['--version'],
  ['--help'],
  ['schedule', 'create', '--help'],
  ['runs', 'list', '--help'],
  ['compile', 'penguins', '--image', 'local/penguins:dev', '-o', 'json'],
];
const main = join(repoRoot, 'apps', 'cli', 'src', 'main.ts');

function sample(argv: readonly string[]): Promise<CliSample> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [main, ...argv], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode) =>
      resolve({ command: argv.join(' '), wallMs: performance.now() - t0, exitCode }),
    );
  });
}

const samples: CliSample[] = [];
// Interleaved, one process at a time: a drift in the machine's load touches every command alike.
for (let i = 0; i < repeat; i++) for (const argv of COMMANDS) samples.push(await sample(argv));
console.log(JSON.stringify({ repeat, ...cliStartReport(samples) }, null, 2));
