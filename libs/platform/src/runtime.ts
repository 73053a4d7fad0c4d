import { Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import type { Logger as PinoLogger } from 'pino';
import { MetricNames, stageDurationBucketsSeconds } from '@conveyor/contracts';
import { temporalLoggerFrom, type TemporalLoggerOptions } from './temporal-logger.ts';

/** Options of {@link installTemporalRuntime}. */
export interface TemporalRuntimeOptions extends TemporalLoggerOptions {
  /**
   * `host:port` the Prometheus endpoint binds (`GET /metrics`): the SDK's worker metrics
   * (`temporal_*`) and Conveyor's own (`conveyor_*`, recorded through the SDK's metric meter).
   * No endpoint when undefined.
   */
  readonly metricsAddress?: string | undefined;
}

/**
 * Installs the app's pino logger, and the Prometheus exporter when asked, into the Temporal Runtime.
 * Call once, before creating any NativeConnection or Worker. Lives in the `@conveyor/platform/runtime`
 * entry so clients that never run a worker (CLI, bridge) do not load the native core.
 * @throws when the metrics address cannot be bound (the Runtime reports the address).
 */
export function installTemporalRuntime(logger: PinoLogger, options: TemporalRuntimeOptions = {}): void {
  Runtime.install({
    logger: temporalLoggerFrom(logger, options),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      ...(options.metricsAddress
        ? {
            metrics: {
              // The SDK's defaults (milliseconds, no `_total` suffix) are what Temporal's own SDK
              // dashboards expect; Conveyor's metric names carry their units themselves.
              prometheus: {
                bindAddress: options.metricsAddress,
                histogramBucketOverrides: {
                  [MetricNames.stageDuration]: [...stageDurationBucketsSeconds],
                },
              },
            },
          }
        : {}),
    },
  });
}
