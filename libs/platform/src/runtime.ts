import { Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import type { Logger as PinoLogger } from 'pino';
import { temporalLoggerFrom } from './temporal-logger.ts';

/**
 * Installs the app's pino logger into the Temporal Runtime. Call once, before creating any
 * NativeConnection or Worker. Lives in the `@conveyor/platform/runtime` entry so clients that
 * never run a worker (CLI, bridge) do not load the native core.
 */
export function installTemporalLogger(logger: PinoLogger): void {
  Runtime.install({
    logger: temporalLoggerFrom(logger),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
    },
  });
}
