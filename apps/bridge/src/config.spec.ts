import { describe, expect, it } from 'vitest';
import { ConfigError } from '@conveyor/platform';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has local defaults', () => {
    const c = loadConfig({}, '/repo');
    expect(c).toMatchObject({
      topic: 'conveyor-training',
      subscription: 'conveyor-training-bridge',
      deadLetterTopic: 'conveyor-training-dead-letter',
      defaultPipeline: 'penguins',
      repoUrl: '/repo',
      pull: true,
      pushAuth: { kind: 'disabled' },
      http: { host: '127.0.0.1', port: 8080 },
      flowControl: { maxMessages: 100, maxBytes: 10 * 1024 * 1024 },
    });
  });

  it('picks OIDC over the shared token when both are configured', () => {
    const c = loadConfig(
      {
        CONVEYOR_PUSH_TOKEN: 'x'.repeat(16),
        CONVEYOR_PUSH_AUDIENCE: 'https://a',
        CONVEYOR_PUSH_SERVICE_ACCOUNT: 'sa@p.iam.gserviceaccount.com',
      },
      '/repo',
    );
    expect(c.pushAuth).toEqual({
      kind: 'oidc',
      audience: 'https://a',
      serviceAccount: 'sa@p.iam.gserviceaccount.com',
    });
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ CONVEYOR_MAX_MESSAGES: '0', CONVEYOR_PULL: 'yes', PUBSUB_EMULATOR_HOST: 'nope' }, '/repo');
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).issues.map((i) => i.variable).sort();
    expect(variables).toEqual(['CONVEYOR_MAX_MESSAGES', 'CONVEYOR_PULL', 'PUBSUB_EMULATOR_HOST']);
  });

  it('wants the OIDC audience and service account together', () => {
    expect(() => loadConfig({ CONVEYOR_PUSH_AUDIENCE: 'https://a' }, '/repo')).toThrow(
      /CONVEYOR_PUSH_SERVICE_ACCOUNT: .*set together/,
    );
  });

  it('takes no spec attribute unless CONVEYOR_SPEC_PREFIXES lists where trusted specs live', () => {
    expect(loadConfig({}, '/repo').specPrefixes).toBeUndefined();
    expect(
      loadConfig(
        { CONVEYOR_SPEC_PREFIXES: 'gs://conveyor-local-conveyor/pipeline-root/specs/, gs://team-specs' },
        '/repo',
      ).specPrefixes,
    ).toEqual(['gs://conveyor-local-conveyor/pipeline-root/specs/', 'gs://team-specs']);
    expect(() => loadConfig({ CONVEYOR_SPEC_PREFIXES: 'https://x/specs' }, '/repo')).toThrow(
      /CONVEYOR_SPEC_PREFIXES\.0: expected a gs:\/\/bucket\/object URI/,
    );
  });

  it('refuses a CONVEYOR_REPO_URL with credentials, naming the variable and not the secret', () => {
    let message = '';
    try {
      loadConfig({ CONVEYOR_REPO_URL: 'https://x-access-token:ghp_abc123@github.com/o/r.git' }, '/repo');
    } catch (e: unknown) {
      message = e instanceof Error ? e.message : String(e);
    }
    expect(message).toMatch(/CONVEYOR_REPO_URL: must not carry credentials/);
    expect(message).not.toContain('ghp_abc123');
  });
});
