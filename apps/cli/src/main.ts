#!/usr/bin/env node
// The `conveyor` command. Each command group lives in src/commands/<name>.ts and registers itself here.
import { Command } from 'commander';
import { registerCompile } from './commands/compile.ts';
import { registerStack } from './commands/stack.ts';

const program = new Command()
  .name('conveyor')
  .description('Model training run as a CI/CD system, on Temporal.')
  .showHelpAfterError();

registerStack(program);
registerCompile(program);

try {
  await program.parseAsync(process.argv);
} catch (error: unknown) {
  console.error(`conveyor: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
