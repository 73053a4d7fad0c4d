// `conveyor stack up|down|status`: the local stack of this checkout.
import type { Command } from 'commander';
import { stackDown, stackStatus, stackUp, temporalVersion, type ServiceStatus } from '@conveyor/stack';
import { stackContext } from '../common/checkout.ts';
import { ExitCodes } from '../common/errors.ts';
import { addOutputOption, formatOf, Printer, type OutputFlags } from '../common/output.ts';

function statusText(rows: readonly ServiceStatus[]): string {
  const width = Math.max(...rows.map((r) => r.title.length));
  const lines: string[] = [];
  for (const row of rows) {
    const state = row.health.healthy ? 'healthy' : row.owner === 'stopped' ? 'stopped' : 'UNHEALTHY';
    const who =
      row.owner === 'ours' ? `pid ${row.pid}` : row.owner === 'external' ? 'not started by conveyor' : '';
    lines.push(`${row.title.padEnd(width)}  ${state.padEnd(9)}  ${row.address}  ${who}`.trimEnd());
    if (!row.health.healthy && row.owner !== 'stopped')
      lines.push(`${''.padEnd(width)}  ${row.health.detail}`);
  }
  return lines.join('\n');
}

/** `conveyor stack up|down|status`. */
export function registerStack(program: Command): void {
  const stack = program
    .command('stack')
    .description(
      'run the local stack: Temporal, Pub/Sub, GCS, the Google emulators, the worker and the bridge',
    );

  addOutputOption(
    stack
      .command('up')
      .description('install missing binaries, start what is not running, wait until healthy')
      .action(async (flags: OutputFlags) => {
        const printer = new Printer(formatOf(flags));
        const ctx = stackContext(printer.machine);
        const result = await stackUp(ctx);
        const { host, ports } = ctx.config;
        printer.note(await temporalVersion(result.binaries.temporal));
        printer.result(
          { started: result.started, services: result.status },
          () =>
            `${statusText(result.status)}\n\nWeb UI: http://${host}:${ports.temporalUi}   data: ${ctx.config.dataDir}`,
        );
      }),
  );

  addOutputOption(
    stack
      .command('status')
      .description('print each service with its address and health (exit 3 when one is not healthy)')
      .action(async (flags: OutputFlags) => {
        const rows = await stackStatus(stackContext(true));
        new Printer(formatOf(flags)).result(rows, () => statusText(rows));
        if (!rows.every((r) => r.health.healthy)) process.exitCode = ExitCodes.unhealthy;
      }),
  );

  addOutputOption(
    stack
      .command('down')
      .description('stop the services that `stack up` started (never anything else)')
      .action(async (flags: OutputFlags) => {
        const printer = new Printer(formatOf(flags));
        const stopped = await stackDown(stackContext(printer.machine));
        printer.result({ stopped }, () =>
          stopped.length ? `stopped: ${stopped.join(', ')}` : 'nothing of ours was running',
        );
      }),
  );
}
