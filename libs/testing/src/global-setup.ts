// Vitest global setup of the `integration` project: uses the running local stack when every service
// is healthy, otherwise brings it up (installing missing binaries), and at the end stops only what
// it started. This file is a composition root, so it reads the environment.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  ensureSearchAttributes,
  ensureTestServer,
  localEnvironment,
  stackConfigFromEnv,
  stackDown,
  stackStatus,
  stackUp,
  locateTemporal,
} from '@conveyor/stack';
import type { TestProject } from 'vitest/node';
import type { StackInfo } from './stack-info.ts';
import { repoRoot } from '@conveyor/platform/repo-root';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Test runs using the stack register here, so a run that started the stack does not stop it under
 * another run still using it (developers and agents run suites side by side).
 */
async function otherUsers(dir: string): Promise<number> {
  const pids = (await readdir(dir).catch(() => [] as string[])).map(Number).filter((p) => p !== process.pid);
  return pids.filter(alive).length;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const ctx = {
    config: stackConfigFromEnv(process.env, repoRoot),
    env: process.env,
    log: (line: string) => console.error(`[stack] ${line}`),
  };
  const usersDir = join(ctx.config.dataDir, 'run', 'test-runs');
  await mkdir(usersDir, { recursive: true });
  await writeFile(join(usersDir, String(process.pid)), '');
  const before = await stackStatus(ctx);
  // Always `stack up`: it starts what is missing, and restarts a service whose pinned binary changed
  // since it started (a healthy but stale emulator would test yesterday's behaviour). What was
  // running before stays running after the tests; only what this run started is stopped.
  const t0 = Date.now();
  const wasHealthy = new Set(before.filter((s) => s.health.healthy).map((s) => s.name));
  const up = await stackUp(ctx);
  const started: readonly string[] = up.started.filter((name) => !wasHealthy.has(name));
  if (up.started.length > 0) {
    console.error(
      `[stack] up in ${((Date.now() - t0) / 1000).toFixed(1)}s (started: ${up.started.join(', ')})`,
    );
  }
  const { config } = ctx;
  const cliPath = await locateTemporal(config.cacheDir);
  if (!cliPath) throw new Error('temporal CLI missing from the cache after stack up');
  // A reused stack may predate a search attribute the tests use.
  await ensureSearchAttributes(cliPath, `${config.host}:${config.ports.temporal}`, config.namespace, ctx.log);
  const testServerPath = await ensureTestServer({
    cacheDir: config.cacheDir,
    repoRoot,
    env: process.env,
    log: ctx.log,
  });
  const info: StackInfo = {
    dataDir: config.dataDir,
    cacheDir: config.cacheDir,
    temporal: {
      address: `${config.host}:${config.ports.temporal}`,
      namespace: config.namespace,
      uiUrl: `http://${config.host}:${config.ports.temporalUi}`,
      cliPath,
      testServerPath,
    },
    pubsub: { emulatorHost: `${config.host}:${config.ports.pubsub}`, projectId: config.projectId },
    gcs: { endpoint: `http://${config.host}:${config.ports.gcs}` },
    emulator:
      before.some((s) => s.name === 'emulator') || started.includes('emulator')
        ? {
            endpoint: `${config.host}:${config.ports.emulator}`,
            host: config.host,
            port: config.ports.emulator,
            adminUrl: `http://${config.host}:${config.ports.emulatorAdmin}`,
          }
        : undefined,
    env: localEnvironment(config),
  };
  project.provide('stack', info);
  return async () => {
    await rm(join(usersDir, String(process.pid)), { force: true });
    if (started.length === 0) return;
    if ((await otherUsers(usersDir)) > 0) {
      console.error('[stack] left running: another test run is using it');
      return;
    }
    await stackDown(ctx, started);
  };
}
