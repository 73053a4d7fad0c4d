// Child processes of the observability tests: the worker (tests/tiny-worker.ts) and the bridge
// (apps/bridge/src/main.ts), each with its JSON log lines kept for the test to read.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The crash tests' worker process: the worker's real composition over the tiny catalog. */
export const tinyWorkerScript = join(here, 'tiny-worker.ts');
/** The bridge's composition root. */
export const bridgeMain = join(here, '..', '..', 'bridge', 'src', 'main.ts');

/** A running child and what it logged. */
export interface Child {
  readonly process: ChildProcess;
  /** Its stdout lines that are JSON objects (pino), parsed, in order. */
  readonly lines: Record<string, unknown>[];
  /** SIGTERM, then wait for it to exit. */
  stop(): Promise<void>;
}

/** Starts `script` with `env` and resolves once a stdout line contains `ready`. */
export async function startChild(script: string, env: Record<string, string>, ready: string): Promise<Child> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited early with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const line of complete) {
        if (line.includes(ready)) resolve();
        if (!line.startsWith('{')) continue;
        try {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // Not JSON after all: not a log line.
        }
      }
    });
  });
  return {
    process: child,
    lines,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
