import { pino, type Logger as PinoLogger } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** App name, on every line as `name`. */
  readonly name: string;
  /** pino level. @default 'info' */
  readonly level?: string | undefined;
}

/** The app's one pino logger (JSON lines on stdout). */
export function createLogger(options: LoggerOptions): PinoLogger {
  return pino({ name: options.name, level: options.level ?? 'info' });
}

export type { PinoLogger };
