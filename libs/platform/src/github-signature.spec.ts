import { describe, expect, it } from 'vitest';
import { githubSignature, verifyGithubSignature } from './github-signature.ts';

describe('GitHub webhook signature', () => {
  it("matches GitHub's documented example", () => {
    // From GitHub's "Validating webhook deliveries": secret "It's a Secret to Everybody",
    // payload "Hello, World!".
    expect(githubSignature("It's a Secret to Everybody", Buffer.from('Hello, World!'))).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
  });

  it('verifies its own signature and refuses any other body, secret or header', () => {
    const body = Buffer.from('{"ref":"refs/heads/main"}');
    const header = githubSignature('s3cret-s3cret-s3cret', body);
    expect(verifyGithubSignature('s3cret-s3cret-s3cret', body, header)).toBe(true);
    expect(
      verifyGithubSignature('s3cret-s3cret-s3cret', body, header.toUpperCase().replace('SHA256', 'sha256')),
    ).toBe(true);
    expect(verifyGithubSignature('other-secret-other', body, header)).toBe(false);
    expect(
      verifyGithubSignature('s3cret-s3cret-s3cret', Buffer.from('{"ref":"refs/heads/dev"}'), header),
    ).toBe(false);
    for (const bad of [
      undefined,
      '',
      'sha256=',
      header.slice(0, -2),
      `${header}00`,
      header.replace('sha256=', 'sha1='),
      'sha256=' + 'z'.repeat(64),
    ]) {
      expect(verifyGithubSignature('s3cret-s3cret-s3cret', body, bad)).toBe(false);
    }
  });
});
