#!/usr/bin/env node
// The `conveyor` command. Each command group lives in src/commands/<name>.ts and registers itself here.
import { Command } from 'commander';
import { registerCompile } from './commands/compile.ts';
import { registerDemo } from './commands/demo.ts';
import { registerHook } from './commands/hook.ts';
import { registerPublish } from './commands/publish.ts';
import { registerRun } from './commands/run.ts';
import { registerRuns } from './commands/runs.ts';
import { registerSchedule } from './commands/schedule.ts';
import { registerStack } from './commands/stack.ts';

const program = new Command()
  .name('conveyor')
  .description('Model training run as a CI/CD system, on Temporal.')
  .showHelpAfterError();

registerStack(program);
registerCompile(program);
registerSchedule(program);
registerPublish(program);
registerRun(program);
registerRuns(program);
registerDemo(program);
registerHook(program);

try {
  await program.parseAsync(process.argv);
} catch (error: unknown) {
  console.error(`conveyor: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
