import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import {
  stackConfigFromEnv,
  stackDown,
  stackStatus,
  stackUp,
  temporalVersion,
  type ServiceStatus,
  type StackContext,
} from '@conveyor/stack';

/** The repository root: apps/cli/src/commands → four levels up. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** The stack context of this process: configuration from the environment, progress to stderr. */
export function stackContext(quiet = false): StackContext {
  return {
    config: stackConfigFromEnv(process.env, repoRoot),
    env: process.env,
    log: quiet ? undefined : (line) => console.error(line),
  };
}

function printStatus(rows: readonly ServiceStatus[]): void {
  const width = Math.max(...rows.map((r) => r.title.length));
  for (const row of rows) {
    const state = row.health.healthy ? 'healthy' : row.owner === 'stopped' ? 'stopped' : 'UNHEALTHY';
    const who =
      row.owner === 'ours' ? `pid ${row.pid}` : row.owner === 'external' ? 'not started by conveyor' : '';
    console.log(`${row.title.padEnd(width)}  ${state.padEnd(9)}  ${row.address}  ${who}`.trimEnd());
    if (!row.health.healthy && row.owner !== 'stopped')
      console.log(`${''.padEnd(width)}  ${row.health.detail}`);
  }
}

/** `conveyor stack up|down|status`. */
export function registerStack(program: Command): void {
  const stack = program
    .command('stack')
    .description('run the local stack: Temporal, Pub/Sub, GCS and the Google emulators');
  stack
    .command('up')
    .description('install missing binaries, start what is not running, wait until healthy')
    .option('--json', 'print the status as JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = stackContext();
      const result = await stackUp(ctx);
      if (options.json) {
        console.log(JSON.stringify({ started: result.started, services: result.status }, null, 2));
        return;
      }
      console.error(await temporalVersion(result.binaries.temporal));
      printStatus(result.status);
      const { host, ports } = ctx.config;
      console.log(`\nWeb UI: http://${host}:${ports.temporalUi}   data: ${ctx.config.dataDir}`);
    });
  stack
    .command('status')
    .description('print each service with its address and health (exit 3 when one is not healthy)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = stackContext(true);
      const rows = await stackStatus(ctx);
      if (options.json) console.log(JSON.stringify(rows, null, 2));
      else printStatus(rows);
      if (!rows.every((r) => r.health.healthy)) process.exitCode = 3;
    });
  stack
    .command('down')
    .description('stop the services that `stack up` started (never anything else)')
    .action(async () => {
      const stopped = await stackDown(stackContext());
      console.log(stopped.length ? `stopped: ${stopped.join(', ')}` : 'nothing of ours was running');
    });
}
