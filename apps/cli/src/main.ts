#!/usr/bin/env node
// The `conveyor` command. Each command group lives in src/commands/<name>.ts and registers itself here;
// shared conventions (targets, `-o`, exit codes) live in src/common/. A group's module is imported
// only when it is needed, so `conveyor schedule list` loads what schedules need and not, say, the
// Google client libraries (bench/src/cli-start.ts measures it).
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { formatOf, printFailure, type OutputFormat } from './common/output.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

type Registrar = (program: Command) => void;

/** The command groups in help order, each with the import of the module that registers it. */
const GROUPS = {
  stack: async () => (await import('./commands/stack.ts')).registerStack,
  doctor: async () => (await import('./commands/doctor.ts')).registerDoctor,
  compile: async () => (await import('./commands/compile.ts')).registerCompile,
  schedule: async () => (await import('./commands/schedule.ts')).registerSchedule,
  publish: async () => (await import('./commands/publish.ts')).registerPublish,
  run: async () => (await import('./commands/run.ts')).registerRun,
  sweep: async () => (await import('./commands/sweep.ts')).registerSweep,
  runs: async () => (await import('./commands/runs.ts')).registerRuns,
  models: async () => (await import('./commands/models.ts')).registerModels,
  demo: async () => (await import('./commands/demo.ts')).registerDemo,
  hook: async () => (await import('./commands/hook.ts')).registerHook,
  completion: async () => (await import('./commands/completion.ts')).registerCompletion,
} as const satisfies Record<string, () => Promise<Registrar>>;

type Group = keyof typeof GROUPS;

const ALL = Object.keys(GROUPS) as Group[];

/**
 * The groups `argv` needs: none for `--version`; only its own when the first argument names a group
 * other than `completion` (which walks the whole tree); every group for help, a typo and
 * `help <command>`, so commander lists and suggests every command.
 */
export function groupsFor(argv: readonly string[]): readonly Group[] {
  const first = argv[2];
  if (first === '--version' || first === '-V') return [];
  return first !== undefined && first !== 'completion' && Object.hasOwn(GROUPS, first)
    ? [first as Group]
    : ALL;
}

/** The command tree with `groups` (every group by default). */
export async function buildProgram(groups: readonly Group[] = ALL): Promise<Command> {
  const program = new Command()
    .name('conveyor')
    .description('Model training run as a CI/CD system, on Temporal.')
    .version(version, '-V, --version', 'print the version')
    .showHelpAfterError()
    // Errors come back to main() (exit codes are ours); program options only before a subcommand,
    // so `models pull --version V` is the subcommand's flag.
    .exitOverride()
    .enablePositionalOptions();
  for (const register of await Promise.all(groups.map((g) => GROUPS[g]()))) register(program);
  return program;
}

/** Runs `conveyor` with `argv`; resolves with the exit code (apps/cli/README.md "Exit codes"). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = await buildProgram(groupsFor(argv));
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
