import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
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
 * Where {@link freePorts} looks: below Linux's default ephemeral range (32768–60999). Port 0 would
 * hand out an ephemeral port, which any process's next outgoing connection may take between our
 * choosing it and a server binding it (seen: a test's Temporal dev server failing with "address
 * already in use" while another stack was busy). Outgoing connections never take a port from here.
 */
export const FREE_PORT_RANGE = { min: 20_000, max: 32_000 } as const;

/** A server listening on `port`, or undefined when the port is taken. */
function listenOn(port: number, host: string): Promise<Server | undefined> {
  return new Promise((resolveListen) => {
    const server = createServer();
    server.once('error', () => resolveListen(undefined));
    server.listen(port, host, () => resolveListen(server));
  });
}

/**
 * Ports free on `host` right now, drawn at random from {@link FREE_PORT_RANGE} (all held until
 * every one is known, so they differ). Another process may still take one before it is used: for
 * tests and tools only.
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers = new Map<number, Server>();
  const span = FREE_PORT_RANGE.max - FREE_PORT_RANGE.min;
  // Each draw is free with high probability; 50 per port bounds the loop on a crowded machine.
  for (let attempt = 0; servers.size < count && attempt < count * 50; attempt++) {
    const port = FREE_PORT_RANGE.min + Math.floor(Math.random() * span);
    if (servers.has(port)) continue;
    const server = await listenOn(port, host);
    if (server) servers.set(port, server);
  }
  await Promise.all([...servers.values()].map((s) => new Promise((resolveClose) => s.close(resolveClose))));
  if (servers.size < count) {
    throw new Error(
      `found only ${servers.size} of ${count} free ports on ${host} in ${FREE_PORT_RANGE.min}-${FREE_PORT_RANGE.max}`,
    );
  }
  return [...servers.keys()];
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
