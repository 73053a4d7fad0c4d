/** Runs one task container command as a local process group, logging to a file, killable by signal. */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** How a task process ended. */
export interface ProcessResult {
  /** Exit code, or null when killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** True when the abort signal stopped it. */
  aborted: boolean;
  /** Set when the process could not start (e.g. command not found). */
  spawnError?: Error;
}

/** What to run. */
export interface ProcessSpec {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  logPath: string;
  signal: AbortSignal;
}

/** After SIGTERM, a task gets this long to exit before SIGKILL (docker stop's default grace is 10 s; tests want less). */
const KILL_GRACE_MS = 3_000;

/** Starts the process and resolves when it has exited (never rejects). */
export function runProcess(spec: ProcessSpec): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const log = createWriteStream(spec.logPath, { flags: 'a' });
    log.write(`$ ${spec.argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}\n`);
    const [file, ...args] = spec.argv;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const child = spawn(file ?? 'true', args, {
      cwd: spec.cwd,
      env: spec.env,
      // Its own process group, so cancel also stops what a `sh -c` wrapper started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    const kill = (sig: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        // Already gone.
      }
    };
    const onAbort = (): void => {
      aborted = true;
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS);
    };
    if (spec.signal.aborted) onAbort();
    else spec.signal.addEventListener('abort', onAbort, { once: true });
    let spawnError: Error | undefined;
    child.on('error', (e: Error) => {
      spawnError = e;
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(killTimer);
      spec.signal.removeEventListener('abort', onAbort);
      // Make sure nothing the task left behind in its group keeps running.
      kill('SIGKILL');
      const summary = spawnError
        ? `failed to start: ${spawnError.message}`
        : `exited with ${exitCode === null ? `signal ${String(signal)}` : `code ${exitCode}`}`;
      log.end(`[emulator] process ${summary}${aborted ? ' (cancelled)' : ''}\n`, () =>
        resolve({ exitCode, signal, aborted, ...(spawnError ? { spawnError } : {}) }),
      );
    });
  });
}
