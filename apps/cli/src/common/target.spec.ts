import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@conveyor/platform';
import { repoRoot } from './checkout.ts';
import { FlagError } from './errors.ts';
import { describeTarget, requireProject, requireRepoUrl, resolveTarget, type TargetProbe } from './target.ts';

const dir = mkdtempSync(join(tmpdir(), 'conveyor-target-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The machine as a test wants it: where the command runs, and whether this checkout's stack is up. */
const probe = (up: boolean, cwd = repoRoot): TargetProbe => ({ cwd, stackRunning: async () => up });
const HOME = { HOME: dir };

describe('resolveTarget', () => {
  it('local is the default only inside a checkout whose stack is up', async () => {
    const local = await resolveTarget({}, { ...HOME, CONVEYOR_TEMPORAL_PORT: '7555' }, probe(true));
    expect(local).toMatchObject({
      name: 'local',
      temporal: { address: '127.0.0.1:7555', namespace: 'default' },
    });
    expect(local.temporal.uiBaseUrl).toBe('http://127.0.0.1:8233');
    expect(local.google).toMatchObject({ projectId: 'conveyor-local', pubsubEmulatorHost: '127.0.0.1:8085' });
    expect(local.google.pipelineRoot).toBe('gs://conveyor-local-conveyor/pipeline-root');
    expect(local.repoUrl).toBe(repoRoot);
    await expect(resolveTarget({}, HOME, probe(false))).rejects.toThrow(/CONVEYOR_TARGET: no target/);
    await expect(resolveTarget({}, HOME, probe(true, dir))).rejects.toThrow(ConfigError);
  });

  it('on the local target the environment wins over the stack’s addresses, and says so on the target line', async () => {
    const t = await resolveTarget(
      { target: 'local' },
      { ...HOME, TEMPORAL_ADDRESS: '10.0.0.1:7233' },
      probe(false),
    );
    expect(t.temporal.address).toBe('10.0.0.1:7233');
    expect(describeTarget(t)).toBe(
      'local: Temporal 10.0.0.1:7233 (namespace default) · Google project conveyor-local (emulators)',
    );
  });

  it('cloud refuses the emulators by name and needs a Temporal address', async () => {
    const error = await resolveTarget(
      {},
      {
        ...HOME,
        CONVEYOR_TARGET: 'cloud',
        TEMPORAL_ADDRESS: 'x:1',
        PUBSUB_EMULATOR_HOST: 'h:1',
        CONVEYOR_STORAGE_ENDPOINT: 'http://h:2',
      },
      probe(true),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.variable)).toEqual([
      'PUBSUB_EMULATOR_HOST',
      'CONVEYOR_STORAGE_ENDPOINT',
    ]);
    await expect(resolveTarget({ target: 'cloud' }, HOME, probe(true))).rejects.toThrow(/TEMPORAL_ADDRESS/);
    const cloud = await resolveTarget(
      { target: 'cloud' },
      {
        ...HOME,
        TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
        TEMPORAL_API_KEY: 'k',
        GOOGLE_CLOUD_PROJECT: 'p',
      },
      probe(true),
    );
    expect(cloud.temporal.connection).toMatchObject({
      address: 'ns.acct.tmprl.cloud:7233',
      apiKey: 'k',
      tls: true,
    });
    expect(cloud.temporal.uiBaseUrl).toBe('https://cloud.temporal.io');
    expect(cloud.google.pipelineRoot).toBe('gs://p-conveyor/pipeline-root');
    expect(() => requireRepoUrl(cloud, undefined)).toThrow(/CONVEYOR_REPO_URL/);
    expect(requireRepoUrl(cloud, 'https://git/x')).toBe('https://git/x');
  });

  it('names a bad CONVEYOR_TARGET, and the retired CONVEYOR_LOCAL', async () => {
    await expect(resolveTarget({}, { ...HOME, CONVEYOR_TARGET: 'prod' }, probe(true))).rejects.toThrow(
      /CONVEYOR_TARGET: 'prod' is not one of local, cloud/,
    );
    await expect(resolveTarget({}, { ...HOME, CONVEYOR_LOCAL: 'false' }, probe(true))).rejects.toThrow(
      /CONVEYOR_LOCAL: is no longer read/,
    );
  });

  it('a temporal.toml profile implies cloud; flags beat the profile and the variables', async () => {
    const toml = join(dir, 'temporal.toml');
    writeFileSync(toml, '[profile.prod]\naddress = "prod:7233"\nnamespace = "ns"\napi_key = "from-file"\n');
    const t = await resolveTarget({ profile: 'prod', configFile: toml }, HOME, probe(true));
    expect(t).toMatchObject({ name: 'cloud', chosenBy: 'profile prod' });
    expect(t.temporal).toMatchObject({ address: 'prod:7233', namespace: 'ns', profile: 'prod' });
    expect(t.temporal.connection).toMatchObject({ apiKey: 'from-file', tls: true });
    const env = await resolveTarget(
      { profile: 'prod', configFile: toml },
      { ...HOME, TEMPORAL_NAMESPACE: 'env-ns' },
      probe(true),
    );
    expect(env.temporal.namespace).toBe('env-ns');
    const flags = await resolveTarget(
      { profile: 'prod', configFile: toml, namespace: 'flag-ns', address: 'flag:1' },
      { ...HOME, TEMPORAL_NAMESPACE: 'env-ns' },
      probe(true),
    );
    expect(flags.temporal).toMatchObject({ address: 'flag:1', namespace: 'flag-ns' });
    await expect(resolveTarget({ profile: 'nope', configFile: toml }, HOME, probe(true))).rejects.toThrow(
      /--config-file: cannot load the Temporal profile: Profile 'nope' not found/,
    );
  });

  it('mTLS from the temporal CLI’s flags, its variables, or Conveyor’s older TEMPORAL_TLS_CERT/KEY', async () => {
    const cert = join(dir, 'c.pem');
    const key = join(dir, 'k.pem');
    writeFileSync(cert, 'CERT');
    writeFileSync(key, 'KEY');
    const base = { ...HOME, TEMPORAL_ADDRESS: 'a:1' };
    for (const [flags, env] of [
      [{ tlsCertPath: cert, tlsKeyPath: key }, base],
      [{}, { ...base, TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key }],
      [{}, { ...base, TEMPORAL_TLS_CLIENT_CERT_PATH: cert, TEMPORAL_TLS_CLIENT_KEY_PATH: key }],
    ] as const) {
      const t = await resolveTarget({ target: 'cloud', ...flags }, env, probe(false));
      const tls = t.temporal.connection.tls as { clientCertPair?: { crt: Buffer; key: Buffer } };
      // The client's gRPC library refuses anything but Buffers.
      expect(Buffer.isBuffer(tls.clientCertPair?.crt)).toBe(true);
      expect(tls.clientCertPair?.crt.toString()).toBe('CERT');
      expect(tls.clientCertPair?.key.toString()).toBe('KEY');
    }
    await expect(resolveTarget({ target: 'cloud', tlsCertPath: cert }, base, probe(false))).rejects.toThrow(
      FlagError,
    );
  });

  it('a command that talks to Google without a project names GOOGLE_CLOUD_PROJECT', async () => {
    const t = await resolveTarget({ target: 'cloud' }, { ...HOME, TEMPORAL_ADDRESS: 'a:1' }, probe(false));
    expect(() => requireProject(t)).toThrow(/GOOGLE_CLOUD_PROJECT/);
    expect(describeTarget(t)).toContain('Google project (GOOGLE_CLOUD_PROJECT unset)');
  });
});
