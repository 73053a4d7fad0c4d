// docker-compose.yml checked by a real Docker Compose (v2, built from the Go module proxy into the
// per-machine cache): `config` validates the file against the Compose specification and resolves it
// without a Docker engine. The checks below read the resolved model, not the YAML.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCompose, InstallError, stackConfigFromEnv } from '../src/index.ts';
import { repoRoot } from '@conveyor/platform/repo-root';

const root = repoRoot;

interface Resolved {
  services: Record<
    string,
    {
      image?: string;
      build?: unknown;
      command?: string[];
      network_mode?: string;
      healthcheck?: { test?: string[] };
      depends_on?: Record<string, { condition: string }>;
      volumes?: { type: string; source: string; target: string }[];
      environment?: Record<string, string>;
    }
  >;
  volumes?: Record<string, unknown>;
}

function compose(binary: string, file: string, ...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    // A project name of its own: nothing here talks to a Docker engine, but keep names predictable.
    execFile(
      binary,
      ['--project-name', 'conveyor-check', '-f', file, 'config', ...args],
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, out: `${stdout}${stderr}` });
      },
    );
  });
}

describe('docker-compose.yml, through a real Docker Compose', () => {
  let binary: string | undefined;
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'conveyor-compose-'));
    try {
      binary = await ensureCompose({
        cacheDir: stackConfigFromEnv(process.env, root).cacheDir,
        repoRoot: root,
        env: process.env,
        log: (line) => process.stderr.write(`${line}\n`),
      });
    } catch (e: unknown) {
      if (!(e instanceof InstallError)) throw e;
      // The one way to skip: no Compose can be installed here (no Go toolchain, no module proxy).
      process.stderr.write(`SKIPPING the Docker Compose checks: ${e.message}\n`);
    }
  }, 600_000);
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('passes `docker compose config` and resolves as the stack expects', async (ctx) => {
    if (!binary) return ctx.skip('no Docker Compose could be installed (see the message above)');
    const checked = await compose(binary, join(root, 'docker-compose.yml'), '--quiet');
    expect(checked).toEqual({ code: 0, out: '' });
    const { code, out } = await compose(binary, join(root, 'docker-compose.yml'), '--format', 'json');
    expect(code).toBe(0);
    const resolved = JSON.parse(out) as Resolved;
    const services = resolved.services;
    for (const [name, service] of Object.entries(services)) {
      // Every service is probed, and everything it waits for must be healthy, not merely started.
      expect({ name, probe: service.healthcheck?.test?.[0] }).toEqual({ name, probe: 'CMD' });
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {}))
        expect({ name, dependency, condition }).toEqual({ name, dependency, condition: 'service_healthy' });
      // Third-party images by digest; ours are built from this checkout.
      if (service.image) expect(service.image).toMatch(/^[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}$/);
      else expect(service.build).toBeDefined();
    }
    // Temporal keeps its SQLite file in a named volume.
    const temporal = services['temporal'];
    const dbFile = temporal?.command?.[(temporal.command.indexOf('--db-filename') ?? -2) + 1] ?? '';
    const dataVolume = temporal?.volumes?.find(
      (v) => v.type === 'volume' && dbFile.startsWith(`${v.target}/`),
    );
    expect(dataVolume?.source).toBe('temporal-data');
    expect(Object.keys(resolved.volumes ?? {})).toContain('temporal-data');
    // The emulator binds beyond loopback in its container, so its published ports reach it.
    expect(services['gcp-emulator']?.environment?.['CONVEYOR_EMULATOR_HOST']).toBe('0.0.0.0');
    expect(services['worker']?.environment?.['CONVEYOR_METRICS_ADDRESS']).toMatch(/^0\.0\.0\.0:\d+$/);
  });

  it('rejects a broken file, naming the problem (so the check above can fail)', async (ctx) => {
    if (!binary) return ctx.skip('no Docker Compose could be installed (see the message above)');
    const original = await readFile(join(root, 'docker-compose.yml'), 'utf8');
    const unknownKey = join(scratch, 'unknown-key.yml');
    await writeFile(unknownKey, original.replace('    healthcheck:\n', '    healthchek:\n'));
    const first = await compose(binary, unknownKey, '--quiet');
    expect(first.code).not.toBe(0);
    expect(first.out).toMatch(/healthchek/);
    const missingDependency = join(scratch, 'missing-dependency.yml');
    await writeFile(
      missingDependency,
      original.replace('pubsub: { condition: service_healthy }', 'pubsb: { condition: service_healthy }'),
    );
    const second = await compose(binary, missingDependency, '--quiet');
    expect(second.code).not.toBe(0);
    expect(second.out).toMatch(/undefined service "pubsb"/);
  });
});
