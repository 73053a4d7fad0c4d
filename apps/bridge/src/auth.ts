// Push authentication: Google-signed OIDC tokens (production) or a shared bearer token (local).
import { timingSafeEqual } from 'node:crypto';
import { OAuth2Client, type Certificates } from 'google-auth-library';
import type { PushAuthConfig } from './config.ts';

/** Issuers of Google-signed ID tokens. */
const GOOGLE_ISSUERS = ['accounts.google.com', 'https://accounts.google.com'];

/** Verdict on a push request's Authorization header. */
export type AuthResult =
  | { readonly ok: true; readonly principal: string }
  /** 401: no credentials; 403: credentials that do not prove the configured identity. */
  | { readonly ok: false; readonly status: 401 | 403; readonly message: string };

/** Checks an `Authorization` header value. */
export type PushAuthenticator = (authorization: string | undefined) => Promise<AuthResult>;

/** Where Google's signing certificates come from; tests inject local ones. */
export type CertSource = () => Promise<Certificates>;

function bearer(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Builds the authenticator for `config`. OIDC: signature against Google's certs (or `certs`),
 * `aud` = audience, issuer accounts.google.com, not expired, `email` = the service account and
 * `email_verified`. Token: constant-time comparison with the shared token.
 */
export function createPushAuthenticator(config: PushAuthConfig, certs?: CertSource): PushAuthenticator {
  if (config.kind === 'disabled') {
    return () => Promise.resolve({ ok: false, status: 403, message: 'push endpoint is not configured' });
  }
  if (config.kind === 'token') {
    return (authorization) => {
      const token = bearer(authorization);
      if (token === undefined)
        return Promise.resolve({ ok: false, status: 401, message: 'missing bearer token' });
      return Promise.resolve(
        sameSecret(token, config.token)
          ? { ok: true, principal: 'shared-token' }
          : { ok: false, status: 403, message: 'invalid bearer token' },
      );
    };
  }
  const client = new OAuth2Client();
  const getCerts: CertSource = certs ?? (async () => (await client.getFederatedSignonCertsAsync()).certs);
  return async (authorization) => {
    const token = bearer(authorization);
    if (token === undefined) return { ok: false, status: 401, message: 'missing bearer token' };
    try {
      const ticket = await client.verifySignedJwtWithCertsAsync(
        token,
        await getCerts(),
        config.audience,
        GOOGLE_ISSUERS,
      );
      const payload = ticket.getPayload();
      if (payload?.email !== config.serviceAccount) {
        return {
          ok: false,
          status: 403,
          message: `token is for ${payload?.email ?? 'no email'}, not the push service account`,
        };
      }
      if (payload.email_verified !== true)
        return { ok: false, status: 403, message: 'token email is not verified' };
      return { ok: true, principal: payload.email };
    } catch (e: unknown) {
      // Bad signature, wrong audience or issuer, expired: the library says which.
      return { ok: false, status: 403, message: e instanceof Error ? e.message : String(e) };
    }
  };
}
