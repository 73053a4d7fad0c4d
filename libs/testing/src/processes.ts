// Node scripts as child processes of a test or a benchmark: start one, wait until it says it is ready,
// keep its JSON log lines (or write its output to a file), stop it gracefully or kill it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export { freePort, freePorts } from '@conveyor/stack';

/** How {@link startChild} runs a script. */
export interface ChildOptions {
  /**
   * Append the child's stdout and stderr to this file instead of keeping its JSON lines and
   * inheriting its stderr (long runs: nothing accumulates in memory). @default undefined
   */
  readonly logFile?: string | undefined;
  /** How long the child may take to print its ready line. @default 120_000 (bundling on a busy machine) */
  readonly readyTimeoutMs?: number;
}

/** A running child and what it logged. */
export interface Child {
  readonly process: ChildProcess;
  /** Its stdout lines that are JSON objects (pino), parsed, in order; empty with a `logFile`. */
  readonly lines: Record<string, unknown>[];
  /** Resolves with the exit code (null after a signal) once the child has exited. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL if it is still running after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL; resolves once it exited. */
  kill(): Promise<void>;
}

/**
 * Starts `script` with Node (the running one) and exactly `env` as its environment (callers that
 * want to inherit spread `process.env` themselves), and resolves once a stdout line contains `ready`.
 * @throws Error when the child exits or stays silent past `readyTimeoutMs` first (the child is killed)
 */
export async function startChild(
  script: string,
  env: NodeJS.ProcessEnv,
  ready: string,
  options: ChildOptions = {},
): Promise<Child> {
  const log = options.logFile === undefined ? undefined : createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(process.execPath, [script], {
    env,
    stdio: ['ignore', 'pipe', log ? 'pipe' : 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (log) {
    child.stderr?.pipe(log, { end: false });
    void exited.then(() => log.end());
  }
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  let isReady = false;
  let onReady = (): void => undefined;
  child.stdout?.on('data', (chunk: Buffer) => {
    log?.write(chunk);
    buffered += chunk.toString('utf8');
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    for (const line of complete) {
      if (!isReady && line.includes(ready)) {
        isReady = true;
        onReady();
      }
      if (log || !line.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not JSON after all: not a log line.
      }
    }
  });
  const signalled = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const handle: Child = {
    process: child,
    lines,
    exited,
    kill: () => signalled('SIGKILL'),
    async stop(graceMs = 30_000) {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await signalled('SIGTERM');
      clearTimeout(timer);
    },
  };
  const timeoutMs = options.readyTimeoutMs ?? 120_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${script} printed no '${ready}' within ${timeoutMs} ms`));
      void handle.kill();
    }, timeoutMs);
    onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited early with ${code ?? child.signalCode}`));
    });
  });
  return handle;
}
