import { describe, expect, it } from 'vitest';
import { TrainingRunRequestSchema } from './request.ts';
import { hasUrlCredentials, redactSecrets } from './secrets.ts';

describe('credentials in repository URLs', () => {
  it.each([
    ['https://x-access-token:ghp_abc123@github.com/org/repo.git', true],
    ['https://ghp_abc123@github.com/org/repo.git', true],
    ['http://user:pw@git.internal/repo', true],
    ['ssh://git:secret@host/repo.git', true],
    ['ssh://git@github.com/org/repo.git', false],
    ['git@github.com:org/repo.git', false],
    ['https://github.com/org/repo.git', false],
    ['/home/me/conveyor', false],
    ['file:///home/me/conveyor', false],
  ])('%s carries credentials: %s', (url, expected) => {
    expect(hasUrlCredentials(url)).toBe(expected);
  });

  it('the request schema refuses them, without echoing the secret', () => {
    const parsed = TrainingRunRequestSchema.safeParse({
      pipeline: 'penguins',
      source: { repoUrl: 'https://x-access-token:ghp_abc123@github.com/org/repo.git', branch: 'main' },
      trigger: { kind: 'manual', id: 'me', at: '2026-01-02T03:04:05Z' },
    });
    expect(parsed.success).toBe(false);
    const text = JSON.stringify(parsed.error?.issues);
    expect(text).toContain('source');
    expect(text).toContain('credentials');
    expect(text).not.toContain('ghp_abc123');
  });
});

describe('redactSecrets', () => {
  it('removes bearer tokens, JWTs and URL credentials from free text', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJlbWFpbCI6ImEifQ.c2lnbmF0dXJl';
    const text = `auth Bearer abc.def-ghi failed for ${jwt} cloning https://u:ghp_abc123@github.com/o/r`;
    const out = redactSecrets(text);
    for (const secret of ['abc.def-ghi', jwt, 'ghp_abc123', 'eyJlbWFpbCI6ImEifQ'])
      expect(out).not.toContain(secret);
    expect(out).toBe(
      'auth Bearer [redacted] failed for [redacted-jwt] cloning https://[redacted]@github.com/o/r',
    );
  });

  it('leaves ordinary text alone', () => {
    const text = 'num_epochs: expected at most 1000 (max), got 1000000000; git@github.com:org/repo.git';
    expect(redactSecrets(text)).toBe(text);
  });
});
