import { describe, expect, it } from 'vitest';
import { createPushAuthenticator } from './auth.ts';

describe('createPushAuthenticator', () => {
  it('shared token: 401 without a bearer token, 403 with a wrong one, ok with the right one', async () => {
    const auth = createPushAuthenticator({ kind: 'token', token: 'a-long-shared-secret' });
    expect(await auth(undefined)).toMatchObject({ ok: false, status: 401 });
    expect(await auth('Basic abc')).toMatchObject({ ok: false, status: 401 });
    expect(await auth('Bearer a-long-shared-secreT')).toMatchObject({ ok: false, status: 403 });
    expect(await auth('Bearer short')).toMatchObject({ ok: false, status: 403 });
    expect(await auth('Bearer a-long-shared-secret')).toMatchObject({ ok: true });
  });

  it('not configured: every request is refused', async () => {
    const auth = createPushAuthenticator({ kind: 'disabled' });
    expect(await auth('Bearer anything')).toMatchObject({ ok: false, status: 403 });
  });

  it('OIDC: garbage is refused without reaching for certificates', async () => {
    const auth = createPushAuthenticator(
      { kind: 'oidc', audience: 'a', serviceAccount: 's@x.iam.gserviceaccount.com' },
      () => Promise.resolve({}),
    );
    expect(await auth('Bearer not.a.jwt')).toMatchObject({ ok: false, status: 403 });
    expect(await auth(undefined)).toMatchObject({ ok: false, status: 401 });
  });
});
