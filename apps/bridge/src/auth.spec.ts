import { describe, expect, it } from 'vitest';
import { testSigner } from '../tests/oidc.ts';
import { createPushAuthenticator } from './auth.ts';

const AUDIENCE = 'https://bridge.example.test/pubsub/push';
const ACCOUNT = 'push@p.iam.gserviceaccount.com';

describe('createPushAuthenticator', () => {
  it('shared token: 401 without a bearer token, 403 with a wrong one, ok with the right one', async () => {
    const auth = createPushAuthenticator({ kind: 'token', token: 'a-long-shared-secret' });
    expect(await auth(undefined)).toEqual({ ok: false, status: 401, reason: 'missing-token' });
    expect(await auth('Basic abc')).toEqual({ ok: false, status: 401, reason: 'missing-token' });
    expect(await auth('Bearer a-long-shared-secreT')).toEqual({
      ok: false,
      status: 403,
      reason: 'invalid-token',
    });
    expect(await auth('Bearer short')).toEqual({ ok: false, status: 403, reason: 'invalid-token' });
    expect(await auth('Bearer a-long-shared-secret')).toMatchObject({ ok: true });
  });

  it('not configured: every request is refused', async () => {
    const auth = createPushAuthenticator({ kind: 'disabled' });
    expect(await auth('Bearer anything')).toEqual({ ok: false, status: 403, reason: 'not-configured' });
  });

  describe('OIDC', () => {
    const signer = testSigner();
    const claims = {
      iss: 'https://accounts.google.com',
      aud: AUDIENCE,
      email: ACCOUNT,
      email_verified: true,
      sub: '1234',
    };
    const auth = createPushAuthenticator({ kind: 'oidc', audience: AUDIENCE, serviceAccount: ACCOUNT }, () =>
      Promise.resolve(signer.certs),
    );
    const now = Math.floor(Date.now() / 1000);

    it.each([
      ['garbage', 'notjwt.header.secretpart', 'malformed-token'],
      ['one segment', 'abcdef', 'malformed-token'],
      ['forged', testSigner(signer.kid).sign(claims), 'bad-signature'],
      [
        'expired',
        signer.sign({ ...claims, iat: now - 7200, exp: now - 3600, secret: 'payload-secret' }),
        'expired',
      ],
      ['wrong audience', signer.sign({ ...claims, aud: 'https://elsewhere' }), 'wrong-audience'],
      ['wrong issuer', signer.sign({ ...claims, iss: 'https://evil.example' }), 'wrong-issuer'],
      ['wrong account', signer.sign({ ...claims, email: 'someone@example.com' }), 'wrong-account'],
      ['unverified email', signer.sign({ ...claims, email_verified: false }), 'unverified-email'],
    ])('refuses a %s token with a reason that carries none of the token', async (_, token, reason) => {
      const result = await auth(`Bearer ${token}`);
      expect(result).toEqual({ ok: false, status: 403, reason });
      // The library's own messages quote the token or its payload: none of it may leave here.
      const text = JSON.stringify(result);
      for (const part of token.split('.').filter((p) => p.length > 3)) expect(text).not.toContain(part);
      expect(text).not.toContain('payload-secret');
    });

    it('accepts a valid token', async () => {
      expect(await auth(`Bearer ${signer.sign(claims)}`)).toEqual({ ok: true, principal: ACCOUNT });
    });

    it('answers 503 when Google’s certificates cannot be fetched, so Pub/Sub retries', async () => {
      const offline = createPushAuthenticator(
        { kind: 'oidc', audience: AUDIENCE, serviceAccount: ACCOUNT },
        () => Promise.reject(new Error('getaddrinfo ENOTFOUND www.googleapis.com')),
      );
      expect(await offline(`Bearer ${signer.sign(claims)}`)).toEqual({
        ok: false,
        status: 503,
        reason: 'certificates-unavailable',
      });
    });
  });
});
