import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import type { Logger as PinoLogger } from 'pino';

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Options of {@link temporalLoggerFrom}. */
export interface TemporalLoggerOptions {
  /**
   * Google Cloud project of the trace backend. When set, lines that carry an OpenTelemetry trace id
   * (activity and workflow lines while tracing) also get Cloud Logging's
   * `logging.googleapis.com/trace` and `…/spanId` fields, which link each line to its trace.
   */
  readonly traceProject?: string | undefined;
}

/**
 * One naming for every line of a run: workflow lines carry `workflowId` + `runId`, but the SDK
 * names the run id of activity lines `workflowRunId`; both become `runId` here.
 */
function normalise(meta: LogMetadata | undefined, options: TemporalLoggerOptions): LogMetadata {
  if (!meta) return {};
  const out: Record<string, unknown> = { ...meta };
  if (out['runId'] === undefined && out['workflowRunId'] !== undefined) {
    out['runId'] = out['workflowRunId'];
    delete out['workflowRunId'];
  }
  const traceId = out['trace_id'];
  if (options.traceProject && typeof traceId === 'string') {
    out['logging.googleapis.com/trace'] = `projects/${options.traceProject}/traces/${traceId}`;
    if (typeof out['span_id'] === 'string') out['logging.googleapis.com/spanId'] = out['span_id'];
    out['logging.googleapis.com/trace_sampled'] = out['trace_flags'] === '01';
  }
  return out;
}

/**
 * Adapts pino to Temporal's `Logger`, so SDK, workflow and activity logs (with their `workflowId`,
 * `runId`, `activityType` metadata) go through the app's logger.
 */
export function temporalLoggerFrom(logger: PinoLogger, options: TemporalLoggerOptions = {}): Logger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata): void => {
    logger[levels[level]](normalise(meta, options), message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
