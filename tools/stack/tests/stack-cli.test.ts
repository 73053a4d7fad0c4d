// `conveyor stack up|status|down` as a user runs it, on a second stack with its own ports and data.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../src/process.ts';

const conveyor = new URL('../../../node_modules/.bin/conveyor', import.meta.url).pathname;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string>): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      conveyor,
      args,
      { env: { ...process.env, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('conveyor stack (second stack on free ports)', () => {
  let env: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'conveyor-stack-'));
    const [temporal, ui, pubsub, gcs, emulator, admin, bridge] = await freePorts(7);
    env = {
      CONVEYOR_DATA_DIR: dataDir,
      CONVEYOR_TEMPORAL_PORT: String(temporal),
      CONVEYOR_TEMPORAL_UI_PORT: String(ui),
      CONVEYOR_PUBSUB_PORT: String(pubsub),
      CONVEYOR_GCS_PORT: String(gcs),
      CONVEYOR_EMULATOR_PORT: String(emulator),
      CONVEYOR_EMULATOR_ADMIN_PORT: String(admin),
      CONVEYOR_BRIDGE_PORT: String(bridge),
    };
  });

  afterAll(async () => {
    await cli(['stack', 'down'], env);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('up starts every service healthy, up twice is harmless, a killed service shows in status, down leaves nothing', async () => {
    const up = await cli(['stack', 'up', '--json'], env);
    expect(up.stderr + up.stdout).not.toMatch(/error/i);
    expect(up.code).toBe(0);
    const first = JSON.parse(up.stdout) as {
      started: string[];
      services: { name: string; health: { healthy: boolean } }[];
    };
    expect(first.services.filter((s) => !s.health.healthy)).toEqual([]);
    expect(first.started).toEqual(expect.arrayContaining(['temporal', 'pubsub', 'gcs']));

    const again = await cli(['stack', 'up', '--json'], env);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { started: string[] }).started).toEqual([]);

    const status = await cli(['stack', 'status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Temporal dev server\s+healthy/);
    expect(status.stdout).toContain(`127.0.0.1:${env['CONVEYOR_TEMPORAL_PORT']}`);

    const pids = await Promise.all(
      ['temporal', 'pubsub', 'gcs'].map(
        async (name) =>
          (JSON.parse(await readFile(join(dataDir, 'run', `${name}.pid`), 'utf8')) as { pid: number }).pid,
      ),
    );
    process.kill(pids[1]!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const broken = await cli(['stack', 'status'], env);
    expect(broken.code).toBe(3);
    expect(broken.stdout).toMatch(/Pub\/Sub emulator \(pstest\)\s+stopped/);
    expect(broken.stdout).toMatch(/fake-gcs-server\s+healthy/);

    const down = await cli(['stack', 'down'], env);
    expect(down.code).toBe(0);
    for (const pid of pids) expect(pidAlive(pid)).toBe(false);
  });

  it('refuses a busy port with a message naming it and the service, and exits non-zero', async () => {
    // Holds the port and hangs up on every caller, so closing it never waits for a connection.
    const busy = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      busy.once('error', reject);
      busy.listen(Number(env['CONVEYOR_GCS_PORT']), '127.0.0.1', () => resolve());
    });
    try {
      const up = await cli(['stack', 'up'], env);
      expect(up.code).not.toBe(0);
      expect(up.stderr).toContain(`port ${env['CONVEYOR_GCS_PORT']} (fake-gcs-server) is already in use`);
      // What this call started is stopped again: nothing half-up is left behind.
      const status = await cli(['stack', 'status', '--json'], env);
      const rows = JSON.parse(status.stdout) as { name: string; owner: string }[];
      expect(rows.filter((r) => r.owner === 'ours')).toEqual([]);
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });

  it('names the variable of a bad port setting', async () => {
    const bad = await cli(['stack', 'status'], { ...env, CONVEYOR_PUBSUB_PORT: 'eighty' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('CONVEYOR_PUBSUB_PORT');
  });
});
