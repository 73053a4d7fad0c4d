import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@conveyor/platform';
import { listPipelines } from '@conveyor/pipelines';
import { assertKnownPipelines, loadConfig } from './config.ts';
import { messageOf } from '@conveyor/contracts';

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
      message = messageOf(e);
    }
    expect(message).toMatch(/CONVEYOR_REPO_URL: must not carry credentials/);
    expect(message).not.toContain('ghp_abc123');
  });

  it('has the webhook off without a secret, and on with defaults from the branch and pipeline', () => {
    expect(loadConfig({}, '/repo').github).toBeUndefined();
    const c = loadConfig(
      {
        CONVEYOR_GITHUB_WEBHOOK_SECRET: 's'.repeat(16),
        CONVEYOR_BRANCH: 'trunk',
        CONVEYOR_DEFAULT_PIPELINE: 'tiny',
      },
      '/repo',
    );
    expect(c.github).toEqual({
      secret: { kind: 'value', value: 's'.repeat(16) },
      branches: ['trunk'],
      pipelines: ['tiny'],
    });
    const listed = loadConfig(
      {
        CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE: 'secret.txt',
        CONVEYOR_GITHUB_BRANCHES: 'main, release/*',
        CONVEYOR_GITHUB_PIPELINES: 'penguins,tiny',
      },
      '/repo',
    );
    expect(listed.github).toMatchObject({ branches: ['main', 'release/*'], pipelines: ['penguins', 'tiny'] });
    expect(listed.github?.secret).toEqual({ kind: 'file', path: resolve('secret.txt') });
  });

  it.each([
    [
      { CONVEYOR_GITHUB_WEBHOOK_SECRET: 'short' },
      /CONVEYOR_GITHUB_WEBHOOK_SECRET: use at least 16 characters/,
    ],
    [
      { CONVEYOR_GITHUB_WEBHOOK_SECRET: 's'.repeat(16), CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE: '/s' },
      /CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE: set CONVEYOR_GITHUB_WEBHOOK_SECRET or CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE, not both/,
    ],
    [
      { CONVEYOR_GITHUB_BRANCHES: 'main' },
      /CONVEYOR_GITHUB_WEBHOOK_SECRET: CONVEYOR_GITHUB_BRANCHES is set but the webhook has no secret/,
    ],
    [
      { CONVEYOR_GITHUB_WEBHOOK_SECRET: 's'.repeat(16), CONVEYOR_GITHUB_PIPELINES: 'Penguins' },
      /CONVEYOR_GITHUB_PIPELINES\.0: a pipeline is a lowercase name/,
    ],
    [
      { CONVEYOR_GITHUB_WEBHOOK_SECRET: 's'.repeat(16), CONVEYOR_GITHUB_BRANCHES: ' , ' },
      /CONVEYOR_GITHUB_BRANCHES: /,
    ],
  ])('refuses a bad webhook setting, naming it: %j', (env, message) => {
    expect(() => loadConfig(env, '/repo')).toThrow(message);
  });

  it('refuses webhook pipelines that are not registered, naming the variable', () => {
    const config = loadConfig(
      { CONVEYOR_GITHUB_WEBHOOK_SECRET: 's'.repeat(16), CONVEYOR_GITHUB_PIPELINES: 'penguins,pengiuns' },
      '/repo',
    );
    expect(() => assertKnownPipelines(config, listPipelines())).toThrow(
      /CONVEYOR_GITHUB_PIPELINES: unknown pipeline 'pengiuns' \(registered: penguins\)/,
    );
    const byDefault = loadConfig(
      { CONVEYOR_GITHUB_WEBHOOK_SECRET: 's'.repeat(16), CONVEYOR_DEFAULT_PIPELINE: 'nope' },
      '/repo',
    );
    expect(() => assertKnownPipelines(byDefault, listPipelines())).toThrow(
      /CONVEYOR_DEFAULT_PIPELINE: unknown pipeline 'nope'/,
    );
    expect(() => assertKnownPipelines(loadConfig({}, '/repo'), listPipelines())).not.toThrow();
  });
});
