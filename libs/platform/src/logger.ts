import { pino, type Logger as PinoLogger } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** App name, on every line as `name`. */
  readonly name: string;
  /** pino level. @default 'info' */
  readonly level?: string | undefined;
}

/**
 * pino level → Cloud Logging `LogSeverity`. Cloud Logging reads `severity` from a JSON line (pino's
 * numeric `level` alone shows every line as DEFAULT); it has no TRACE, so trace is DEBUG.
 */
export const cloudLoggingSeverity: Readonly<Record<string, string>> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

/**
 * The app's one pino logger (JSON lines on stdout). Each line carries `severity` for Cloud Logging
 * next to pino's numeric `level`, and an RFC 3339 `time` (which Cloud Logging takes as the entry's
 * timestamp; pino's default epoch milliseconds it does not recognise).
 */
export function createLogger(options: LoggerOptions): PinoLogger {
  return pino({
    name: options.name,
    level: options.level ?? 'info',
    formatters: {
      level: (label, level) => ({ severity: cloudLoggingSeverity[label] ?? 'DEFAULT', level }),
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { PinoLogger };
