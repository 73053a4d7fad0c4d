import { join } from 'node:path';
import type { StackConfig } from './config.ts';
import { ensureSearchAttributes } from './search-attributes.ts';
import { ensureBinaries, locateTemporal, type Binaries } from './install.ts';
import {
  alive,
  ensureDir,
  isOurs,
  portOpen,
  readPidFile,
  removePidFile,
  spawnDetached,
  stopProcess,
  tail,
  writePidFile,
} from './process.ts';
import { stackServices, type Health, type ServiceSpec } from './services.ts';
import { setTimeout as sleep } from 'node:timers/promises';

/** A service that failed to start; the message names it and shows the end of its log. */
export class StackError extends Error {
  override readonly name = 'StackError';
  readonly service: string;
  constructor(service: string, message: string) {
    super(message);
    this.service = service;
  }
}

/** How one service stands. */
export interface ServiceStatus {
  readonly name: ServiceSpec['name'];
  readonly title: string;
  readonly address: string;
  /** `ours`: started by `stack up` (PID file); `external`: healthy but not ours; `stopped`. */
  readonly owner: 'ours' | 'external' | 'stopped';
  readonly pid?: number;
  readonly health: Health;
  readonly logFile: string;
}

/** Dependencies of the stack operations. */
export interface StackContext {
  readonly config: StackConfig;
  /** Environment handed to the services (PATH, HOME…). */
  readonly env: Record<string, string | undefined>;
  readonly log?: (line: string) => void;
}

const runDir = (c: StackConfig) => join(c.dataDir, 'run');
const logDir = (c: StackConfig) => join(c.dataDir, 'logs');
const pidFile = (c: StackConfig, name: string) => join(runDir(c), `${name}.pid`);
const logFile = (c: StackConfig, name: string) => join(logDir(c), `${name}.log`);

function services(ctx: StackContext, binaries?: Binaries): ServiceSpec[] {
  return stackServices(ctx.config, ctx.env, () => binaries?.temporal);
}

async function statusOf(ctx: StackContext, spec: ServiceSpec): Promise<ServiceStatus> {
  const record = await readPidFile(pidFile(ctx.config, spec.name));
  const ours = record !== undefined && (await isOurs(record));
  const health = await spec.health({
    pid: ours ? record.pid : undefined,
    logFile: logFile(ctx.config, spec.name),
  });
  const base = {
    name: spec.name,
    title: spec.title,
    address: spec.address,
    health,
    logFile: logFile(ctx.config, spec.name),
  };
  if (ours) return { ...base, owner: 'ours', pid: record.pid };
  return { ...base, owner: health.healthy ? 'external' : 'stopped' };
}

/** Status of every service: address, owner, health. Installs nothing. */
export async function stackStatus(ctx: StackContext): Promise<ServiceStatus[]> {
  const temporal = await locateTemporal(ctx.config.cacheDir);
  const specs = stackServices(ctx.config, ctx.env, () => temporal);
  return Promise.all(specs.map((spec) => statusOf(ctx, spec)));
}

async function waitHealthy(ctx: StackContext, spec: ServiceSpec, pid: number): Promise<void> {
  const deadline = Date.now() + spec.startTimeoutMs;
  let last: Health = { healthy: false, detail: 'not probed' };
  while (Date.now() < deadline) {
    if (!alive(pid)) {
      throw new StackError(
        spec.name,
        `${spec.title} exited during start. Last lines of ${logFile(ctx.config, spec.name)}:\n${await tail(logFile(ctx.config, spec.name))}`,
      );
    }
    last = await spec.health({ pid, logFile: logFile(ctx.config, spec.name) });
    if (last.healthy) return;
    await sleep(250);
  }
  throw new StackError(
    spec.name,
    `${spec.title} did not become healthy within ${spec.startTimeoutMs / 1000}s (${last.detail}). Log: ${logFile(ctx.config, spec.name)}`,
  );
}

async function startOne(
  ctx: StackContext,
  spec: ServiceSpec,
  binaries: Binaries,
): Promise<'started' | 'running'> {
  const { config } = ctx;
  const record = await readPidFile(pidFile(config, spec.name));
  if (record && (await isOurs(record))) {
    // A pin or a Go source changed since it started (a new binary path): a stale emulator would test
    // yesterday's behaviour, so it is restarted with the binary this checkout pins.
    if (record.command === spec.command(binaries).command) {
      await waitHealthy(ctx, spec, record.pid);
      return 'running';
    }
    ctx.log?.(
      `restarting ${spec.title}: its binary changed (${record.command} → ${spec.command(binaries).command})`,
    );
    await stopProcess(record.pid);
  }
  await removePidFile(pidFile(config, spec.name));
  for (const port of spec.ports) {
    if (await portOpen(config.host, port)) {
      throw new StackError(
        spec.name,
        `port ${port} (${spec.title}) is already in use by another process: stop it, or choose other ports (CONVEYOR_*_PORT)`,
      );
    }
  }
  const { command, args, env } = spec.command(binaries);
  await ensureDir(join(config.dataDir, spec.name === 'gcs' ? 'gcs' : spec.name));
  const pid = await spawnDetached({
    command,
    args,
    env,
    cwd: config.dataDir,
    logFile: logFile(config, spec.name),
  });
  await writePidFile(pidFile(config, spec.name), { pid, command, startedAt: new Date().toISOString() });
  ctx.log?.(`started ${spec.title} (pid ${pid})`);
  await waitHealthy(ctx, spec, pid);
  return 'started';
}

/** What `stackUp` did. */
export interface UpResult {
  readonly binaries: Binaries;
  /** Services this call started (the others were already running). */
  readonly started: readonly ServiceSpec['name'][];
  readonly status: readonly ServiceStatus[];
}

/**
 * Installs missing binaries, then starts every service that is not running, stage by stage, and
 * waits until each is healthy. Running it twice is harmless. When a service fails to start, the
 * services this call started are stopped again.
 * @throws StackError naming the service (busy port, died during start, not healthy in time)
 * @throws InstallError naming a binary that could not be installed
 */
export async function stackUp(ctx: StackContext): Promise<UpResult> {
  const { config } = ctx;
  await Promise.all([ensureDir(runDir(config)), ensureDir(logDir(config)), ensureDir(config.cacheDir)]);
  const binaries = await ensureBinaries({
    cacheDir: config.cacheDir,
    repoRoot: config.repoRoot,
    log: ctx.log,
    env: ctx.env,
  });
  const all = services(ctx, binaries);
  const started: ServiceSpec['name'][] = [];
  try {
    for (const stage of [...new Set(all.map((s) => s.stage))].sort()) {
      const results = await Promise.allSettled(
        all
          .filter((s) => s.stage === stage)
          .map(async (spec) => {
            if ((await startOne(ctx, spec, binaries)) === 'started') started.push(spec.name);
          }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
    await ensureSearchAttributes(
      binaries.temporal,
      `${config.host}:${config.ports.temporal}`,
      config.namespace,
      ctx.log,
    );
  } catch (error: unknown) {
    await stackDown(ctx, started);
    throw error;
  }
  return { binaries, started, status: await stackStatus(ctx) };
}

/**
 * Stops the services `stack up` started (PID files under the data directory), or only `names`.
 * Never touches a process it did not start. Returns the names it stopped.
 */
export async function stackDown(ctx: StackContext, names?: readonly string[]): Promise<string[]> {
  const stopped: string[] = [];
  // Reverse start order: the emulator before GCS, the apps before Temporal.
  for (const spec of services(ctx).reverse()) {
    if (names && !names.includes(spec.name)) continue;
    const file = pidFile(ctx.config, spec.name);
    const record = await readPidFile(file);
    if (record && (await isOurs(record))) {
      await stopProcess(record.pid);
      stopped.push(spec.name);
      ctx.log?.(`stopped ${spec.title} (pid ${record.pid})`);
    }
    await removePidFile(file);
  }
  return stopped;
}

/**
 * Whether this checkout's local stack is up: the Temporal dev server `stack up` started (its PID file
 * under the data directory names a live process) answers on its port. A Temporal started by anything
 * else does not count, so a command never picks another checkout's or another tool's server.
 */
export async function localStackRunning(config: StackConfig): Promise<boolean> {
  const record = await readPidFile(pidFile(config, 'temporal'));
  if (!record || !(await isOurs(record))) return false;
  // 500 ms: a local port answers in well under a millisecond; this only bounds a stuck probe.
  return portOpen(config.host, config.ports.temporal, 500);
}
