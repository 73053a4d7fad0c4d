import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** What a PID file records about a process the stack started. */
export interface PidRecord {
  readonly pid: number;
  /** The executable, to recognise the process again (a reused PID runs something else). */
  readonly command: string;
  readonly startedAt: string;
}

export async function readPidFile(path: string): Promise<PidRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

export async function writePidFile(path: string, record: PidRecord): Promise<void> {
  await writeFile(path, `${JSON.stringify(record)}\n`);
}

export async function removePidFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** Whether the process is alive and still runs `command` (guards against PID reuse). */
export async function isOurs(record: PidRecord): Promise<boolean> {
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = (await readFile(`/proc/${record.pid}/cmdline`, 'utf8')).split('\0');
    return cmdline.some((arg) => arg === record.command || arg.endsWith(record.command));
  } catch {
    // No /proc (macOS): the signal test above is all we have.
    return true;
  }
}

/** Options of {@link spawnDetached}. */
export interface SpawnOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  readonly logFile: string;
}

/**
 * Starts a long-running service in its own process group, detached from the caller, with stdout and
 * stderr appended to `logFile`. The caller may exit; `stopProcess` ends the whole group.
 */
export async function spawnDetached(options: SpawnOptions): Promise<number> {
  const fd = openSync(options.logFile, 'a');
  try {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    const pid = await new Promise<number>((resolvePid, reject) => {
      child.once('spawn', () => resolvePid(child.pid ?? -1));
      child.once('error', reject);
    });
    child.unref();
    return pid;
  } finally {
    closeSync(fd);
  }
}

/** Whether a process with this PID exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops a process group: SIGTERM, then SIGKILL after `graceMs`.
 * @param graceMs time to shut down cleanly (Temporal flushes SQLite). @default 10 s
 */
export async function stopProcess(pid: number, graceMs = 10_000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (alive(pid)) {
    signal('SIGKILL');
    while (alive(pid)) await sleep(50);
  }
}

/** Whether something accepts TCP connections on host:port. */
export function portOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolveOpen) => {
    const socket = connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolveOpen(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Ports free on `host` right now (each bound to port 0 and released; all held until every one is
 * known, so they differ). Another process may take one before it is used: for tests and tools only.
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer();
      await new Promise<void>((resolveListen, reject) => {
        server.once('error', reject);
        server.listen(0, host, resolveListen);
      });
      return server;
    }),
  );
  const ports = servers.map((s) => {
    const address = s.address();
    if (address === null || typeof address === 'string') throw new Error(`no TCP port on ${host}`);
    return address.port;
  });
  await Promise.all(servers.map((s) => new Promise((resolveClose) => s.close(resolveClose))));
  return ports;
}

/** One port free on `host` right now; see {@link freePorts}. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const [port] = await freePorts(1, host);
  return port!;
}

export async function ensureDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
}

/** The last `lines` lines of a log file, for error messages. */
export async function tail(path: string, lines = 15): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
