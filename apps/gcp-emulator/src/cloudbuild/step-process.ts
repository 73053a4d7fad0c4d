import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** After SIGTERM, a step's process group gets this long to exit before SIGKILL (Docker's stop default is 10 s; steps here are local and small). */
const KILL_GRACE_MS = 2_000;

/** What to run for one step. */
export interface ProcessSpec {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/** How a step process ended. */
export interface ProcessResult {
  /** Exit code; 127 when the command could not be started, -1 when killed by a signal. */
  exitCode: number;
  /** Set when the process was started but could not run (spawn error). */
  spawnError?: string;
  /** True when `signal` aborted it. */
  aborted: boolean;
}

/**
 * Runs a command in its own process group (detached), streaming stdout and stderr lines to
 * `onLine`. Aborting `signal` kills the whole group (SIGTERM, then SIGKILL after a grace period);
 * when the main process exits, whatever it left behind in its group is killed too — a container
 * would be torn down the same way.
 */
export function runProcess(
  spec: ProcessSpec,
  signal: AbortSignal,
  onLine: (line: string) => void,
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ exitCode: -1, aborted: true });
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // The group is already gone.
      }
    };
    const onAbort = (): void => {
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', onLine);
    const finish = (result: ProcessResult): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      killGroup('SIGKILL');
      resolve(result);
    };
    child.on('error', (e: Error) =>
      finish({ exitCode: 127, spawnError: e.message, aborted: signal.aborted }),
    );
    child.on('exit', (code) => {
      // Give the pipes 50 ms to drain the last lines before the group is killed (output already
      // written sits in the pipe buffer; reading it takes a tick or two).
      setTimeout(() => finish({ exitCode: code ?? -1, aborted: signal.aborted }), 50);
    });
  });
}
