// Vitest global setup of the `integration` project: uses the running local stack when every service
// is healthy, otherwise brings it up (installing missing binaries), and at the end stops only what
// it started. This file is a composition root, so it reads the environment.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localEnvironment, stackConfigFromEnv, stackDown, stackStatus, stackUp, locateTemporal } from '@conveyor/stack';
import type { TestProject } from 'vitest/node';
import type { StackInfo } from './stack-info.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const ctx = {
    config: stackConfigFromEnv(process.env, repoRoot),
    env: process.env,
    log: (line: string) => console.error(`[stack] ${line}`),
  };
  const before = await stackStatus(ctx);
  let started: readonly string[] = [];
  if (!before.every((s) => s.health.healthy)) {
    const t0 = Date.now();
    started = (await stackUp(ctx)).started;
    console.error(`[stack] up in ${((Date.now() - t0) / 1000).toFixed(1)}s (started: ${started.join(', ') || 'none'})`);
  }
  const { config } = ctx;
  const cliPath = await locateTemporal(config.cacheDir);
  if (!cliPath) throw new Error('temporal CLI missing from the cache after stack up');
  const info: StackInfo = {
    dataDir: config.dataDir,
    temporal: {
      address: `${config.host}:${config.ports.temporal}`,
      namespace: config.namespace,
      uiUrl: `http://${config.host}:${config.ports.temporalUi}`,
      cliPath,
    },
    pubsub: { emulatorHost: `${config.host}:${config.ports.pubsub}`, projectId: config.projectId },
    gcs: { endpoint: `http://${config.host}:${config.ports.gcs}` },
    emulator: before.some((s) => s.name === 'emulator') || started.includes('emulator')
      ? { endpoint: `${config.host}:${config.ports.emulator}`, host: config.host, port: config.ports.emulator }
      : undefined,
    env: localEnvironment(config),
  };
  project.provide('stack', info);
  return async () => {
    if (started.length > 0) await stackDown(ctx, started);
  };
}
