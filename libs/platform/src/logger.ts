import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { redactSecrets, redactUrlCredentials } from '@conveyor/contracts';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** App name, on every line as `name`. */
  readonly name: string;
  /** pino level. @default 'info' */
  readonly level?: string | undefined;
  /** Where lines go. @default stdout */
  readonly destination?: DestinationStream | undefined;
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
 * Keys whose values never reach a log line (pino `redact` paths, at the top level and one level down):
 * credentials, and request bodies, which are the user's and can be anything.
 */
const SECRET_KEYS = ['authorization', 'token', 'accessToken', 'apiKey', 'password', 'secret', 'body'];

/** Repository URLs stay useful in logs, with their credentials cut out. */
const URL_KEYS = ['repoUrl'];

const REDACT_PATHS = [
  ...[...SECRET_KEYS, ...URL_KEYS].flatMap((k) => [k, `*.${k}`]),
  'headers.authorization',
  '*.headers.authorization',
  '*.*.authorization',
  '*.*.repoUrl',
  '*.*.*.repoUrl',
];

function censor(value: unknown, path: string[]): unknown {
  const key = path[path.length - 1] ?? '';
  if (URL_KEYS.includes(key) && typeof value === 'string') return redactUrlCredentials(value);
  return '[redacted]';
}

/** Deepest level the value scrub walks: log objects are shallow; deeper values are dropped. */
const SCRUB_DEPTH = 6;

/** Every string in `value` with bearer tokens, JWTs and URL credentials cut out. */
function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= SCRUB_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value instanceof Error) {
    // What pino's error serializer would keep, scrubbed (its message may quote a URL or token).
    return {
      type: value.name,
      message: redactSecrets(value.message),
      stack: redactSecrets(value.stack ?? ''),
    };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, depth + 1)]));
}

/**
 * The app's one pino logger (JSON lines on stdout). Each line carries `severity` for Cloud Logging
 * next to pino's numeric `level`, and an RFC 3339 `time` (which Cloud Logging takes as the entry's
 * timestamp; pino's default epoch milliseconds it does not recognise). Secrets never reach a line: pino's `redact`
 * paths censor credential keys and bodies (and cut credentials out of `repoUrl`s), and every string
 * value and message is scrubbed of bearer tokens, JWTs and credentialed URLs, wherever it sits.
 */
export function createLogger(options: LoggerOptions): PinoLogger {
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor },
      formatters: {
        level: (label, level) => ({ severity: cloudLoggingSeverity[label] ?? 'DEFAULT', level }),
        log: (object) => scrub(object) as Record<string, unknown>,
      },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? redactSecrets(a) : a));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination(1),
  );
}

export type { PinoLogger };
