// Which system a command talks to: explicit targets, Temporal's own configuration (TEMPORAL_* and
// temporal.toml profiles), no silent fallback to the emulators; and `conveyor doctor` on each.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../src/commands/doctor.ts';
import type { RunRow } from '../src/runs/list.ts';
import { conveyorRaw, stack } from './support.ts';

const scratch = mkdtempSync(join(tmpdir(), 'conveyor-cli-target-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A user's environment with nothing of Conveyor's or Temporal's set. */
function bareEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    HOME: scratch,
    METADATA_SERVER_DETECTION: 'none',
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => /^CONVEYOR_.*PORT$/.test(k))),
    ...extra,
  };
}

describe('targets', () => {
  it('outside a checkout with a running stack there is no default: exit 78 naming CONVEYOR_TARGET', async () => {
    const r = await conveyorRaw(['runs', 'list'], { env: bareEnv(), cwd: scratch });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/CONVEYOR_TARGET: no target: set CONVEYOR_TARGET=cloud/);
  });

  it('inside the checkout whose stack is up, local is the default', async () => {
    const r = await conveyorRaw(['runs', 'list', '--limit', '1'], { env: bareEnv() });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`conveyor → local: Temporal ${stack().temporal.address}`);
  });

  it('cloud never talks to the emulators: their variables are refused by name (exit 78)', async () => {
    const r = await conveyorRaw(['runs', 'list', '--target', 'cloud'], {
      env: bareEnv({ ...stack().env }),
    });
    expect(r.code).toBe(78);
    for (const variable of [
      'PUBSUB_EMULATOR_HOST',
      'CONVEYOR_STORAGE_ENDPOINT',
      'CONVEYOR_CLOUDBUILD_ENDPOINT',
      'CONVEYOR_AIPLATFORM_ENDPOINT',
    ])
      expect(r.stderr).toContain(`${variable}: points at an emulator, but the target is cloud`);
  });

  it('cloud without a Temporal service names TEMPORAL_ADDRESS (exit 78)', async () => {
    const r = await conveyorRaw(['runs', 'list'], {
      env: bareEnv({ CONVEYOR_TARGET: 'cloud' }),
      cwd: scratch,
    });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/TEMPORAL_ADDRESS: the cloud target needs the Temporal service/);
  });

  it('reads temporal.toml profiles like the temporal CLI: --profile / TEMPORAL_PROFILE, --config-file / TEMPORAL_CONFIG_FILE', async () => {
    const s = stack();
    const toml = join(scratch, 'temporal.toml');
    writeFileSync(
      toml,
      `[profile.conveyor-test]\naddress = "${s.temporal.address}"\nnamespace = "${s.temporal.namespace}"\n\n[profile.elsewhere]\naddress = "127.0.0.1:1"\n`,
    );
    const viaFlags = await conveyorRaw(
      ['runs', 'list', '--limit', '1', '--profile', 'conveyor-test', '--config-file', toml],
      {
        env: bareEnv(),
        cwd: scratch,
      },
    );
    expect({ code: viaFlags.code, stderr: viaFlags.stderr }).toMatchObject({ code: 0 });
    // A profile means a real service: the cloud target, with the profile named on the target line.
    expect(viaFlags.stderr).toContain(
      `conveyor → cloud: Temporal ${s.temporal.address} (namespace ${s.temporal.namespace}, profile conveyor-test)`,
    );

    const viaEnv = await conveyorRaw(['runs', 'list', '--limit', '1', '-o', 'json'], {
      env: bareEnv({ TEMPORAL_PROFILE: 'conveyor-test', TEMPORAL_CONFIG_FILE: toml }),
      cwd: scratch,
    });
    expect(viaEnv.code).toBe(0);
    expect(Array.isArray(JSON.parse(viaEnv.stdout) as RunRow[])).toBe(true);

    // Flags beat the profile, as in the temporal CLI.
    const flagWins = await conveyorRaw(
      ['runs', 'list', '--profile', 'elsewhere', '--config-file', toml, '--address', s.temporal.address],
      {
        env: bareEnv(),
        cwd: scratch,
      },
    );
    expect(flagWins.code).toBe(0);

    const missing = await conveyorRaw(['runs', 'list', '--profile', 'nope', '--config-file', toml], {
      env: bareEnv(),
      cwd: scratch,
    });
    expect(missing.code).toBe(78);
    expect(missing.stderr).toMatch(
      /--config-file: cannot load the Temporal profile: Profile 'nope' not found/,
    );
  });
});

describe('conveyor doctor', () => {
  async function doctor(args: string[], extra: Record<string, string> = {}) {
    const r = await conveyorRaw(['doctor', ...args, '-o', 'json'], { extra, timeoutMs: 90_000 });
    return { code: r.code, report: JSON.parse(r.stdout) as DoctorReport };
  }
  const check = (report: DoctorReport, name: string) => report.checks.find((c) => c.name === name);

  it('passes against the local stack', { timeout: 90_000 }, async () => {
    const { code, report } = await doctor([]);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual([
      'temporal',
      'namespace',
      'search attributes',
      'topic',
      'subscription',
      'bucket',
      'cloud build',
      'vertex ai',
      'service account',
    ]);
    expect(check(report, 'search attributes')?.detail).toContain('ConveyorSweep');
  });

  it(
    'a wrong address: Temporal is unreachable, naming TEMPORAL_ADDRESS (exit 3)',
    { timeout: 90_000 },
    async () => {
      // Both modes side by side: an unreachable Temporal costs the client's whole connect deadline.
      const [{ code, report }, text] = await Promise.all([
        doctor(['--address', '127.0.0.1:1']),
        conveyorRaw(['doctor', '--address', '127.0.0.1:1'], { timeoutMs: 90_000 }),
      ]);
      expect(code).toBe(3);
      expect(check(report, 'temporal')).toMatchObject({ status: 'fail', unreachable: true });
      expect(check(report, 'temporal')?.detail).toMatch(
        /cannot reach Temporal at 127\.0\.0\.1:1.*TEMPORAL_ADDRESS/,
      );
      expect(text.code).toBe(3);
      expect(text.stdout).toMatch(/temporal\s+FAIL\s+cannot reach Temporal/);
    },
  );

  it.each([
    [
      'a namespace that does not exist',
      ['--namespace', 'no-such-namespace'],
      {},
      'namespace',
      /TEMPORAL_NAMESPACE/,
    ],
    ['a topic that does not exist', [], { CONVEYOR_TOPIC: 'no-such-topic' }, 'topic', /CONVEYOR_TOPIC/],
    [
      'a subscription that does not exist',
      [],
      { CONVEYOR_SUBSCRIPTION: 'no-such-sub' },
      'subscription',
      /CONVEYOR_SUBSCRIPTION/,
    ],
    [
      'a bucket that does not exist',
      [],
      { CONVEYOR_PIPELINE_ROOT: 'gs://no-such-bucket-cli/root' },
      'bucket',
      /CONVEYOR_PIPELINE_ROOT/,
    ],
    [
      'a service account that is no email',
      [],
      { CONVEYOR_SERVICE_ACCOUNT: 'worker' },
      'service account',
      /CONVEYOR_SERVICE_ACCOUNT/,
    ],
  ] as const)('%s: names it (exit 78)', { timeout: 90_000 }, async (_what, args, extra, name, variable) => {
    const { code, report } = await doctor([...args], extra);
    expect(code).toBe(78);
    expect(check(report, name)?.status).toBe('fail');
    expect(check(report, name)?.detail).toMatch(variable);
  });
});
