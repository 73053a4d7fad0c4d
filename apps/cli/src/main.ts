#!/usr/bin/env node
// The `conveyor` command. Each command group lives in src/commands/<name>.ts and registers itself here;
// shared conventions (targets, `-o`, exit codes) live in src/common/.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerCompile } from './commands/compile.ts';
import { registerCompletion } from './commands/completion.ts';
import { registerDemo } from './commands/demo.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerHook } from './commands/hook.ts';
import { registerModels } from './commands/models.ts';
import { registerPublish } from './commands/publish.ts';
import { registerRun } from './commands/run.ts';
import { registerRuns } from './commands/runs.ts';
import { registerSchedule } from './commands/schedule.ts';
import { registerStack } from './commands/stack.ts';
import { registerSweep } from './commands/sweep.ts';
import { formatOf, printFailure, type OutputFormat } from './common/output.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** The command tree. */
export function buildProgram(): Command {
  const program = new Command()
    .name('conveyor')
    .description('Model training run as a CI/CD system, on Temporal.')
    .version(version, '-V, --version', 'print the version')
    .showHelpAfterError()
    // Errors come back to main() (exit codes are ours); program options only before a subcommand,
    // so `models pull --version V` is the subcommand's flag.
    .exitOverride()
    .enablePositionalOptions();

  registerStack(program);
  registerDoctor(program);
  registerCompile(program);
  registerSchedule(program);
  registerPublish(program);
  registerRun(program);
  registerSweep(program);
  registerRuns(program);
  registerModels(program);
  registerDemo(program);
  registerHook(program);
  registerCompletion(program);
  return program;
}

/** Runs `conveyor` with `argv`; resolves with the exit code (apps/cli/README.md "Exit codes"). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  let format: OutputFormat = 'text';
  program.hook('preAction', (_root, action) => {
    format = formatOf(action.opts());
  });
  try {
    await program.parseAsync([...argv]);
    return Number(process.exitCode ?? 0);
  } catch (error: unknown) {
    return printFailure(error, format);
  }
}

if (import.meta.main) process.exitCode = await main(process.argv);
