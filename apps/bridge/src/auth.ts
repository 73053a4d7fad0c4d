// Push authentication: Google-signed OIDC tokens (production) or a shared bearer token (local).
import { timingSafeEqual } from 'node:crypto';
import { OAuth2Client, type Certificates } from 'google-auth-library';
import type { PushAuthConfig } from './config.ts';

/** Issuers of Google-signed ID tokens. */
const GOOGLE_ISSUERS = ['accounts.google.com', 'https://accounts.google.com'];

/**
 * Why a push request was refused: a fixed word, never text from the request (google-auth-library's
 * own messages quote the token or its payload, so they are mapped to these and dropped).
 */
export type AuthFailure =
  | 'missing-token'
  | 'invalid-token'
  | 'not-configured'
  | 'malformed-token'
  | 'bad-signature'
  | 'bad-claims'
  | 'not-yet-valid'
  | 'expired'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'wrong-account'
  | 'unverified-email'
  | 'certificates-unavailable';

/** Verdict on a push request's Authorization header. */
export type AuthResult =
  | { readonly ok: true; readonly principal: string }
  /**
   * 401: no credentials; 403: credentials that do not prove the configured identity; 503: they
   * cannot be checked right now (Google's certificates unreachable), so Pub/Sub should retry.
   */
  | { readonly ok: false; readonly status: 401 | 403 | 503; readonly reason: AuthFailure };

/** What an unauthenticated caller learns: the status's meaning, nothing about its credentials. */
export const AUTH_BODY = {
  401: { error: 'unauthenticated' },
  403: { error: 'forbidden' },
  503: { error: 'authentication is unavailable, retry later' },
} as const;

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

/** google-auth-library's verification messages, by how they start, and what each means. */
const LIBRARY_FAILURES: readonly (readonly [RegExp, AuthFailure])[] = [
  [/^(Wrong number of segments|Can't parse token)/, 'malformed-token'],
  [/^(No pem found|Invalid token signature)/, 'bad-signature'],
  [/^Token used too early/, 'not-yet-valid'],
  [/^Token used too late/, 'expired'],
  [/^Invalid issuer/, 'wrong-issuer'],
  [/^Wrong recipient/, 'wrong-audience'],
  [/^(No issue time|No expiration time|iat field|exp field|Expiration time too far)/, 'bad-claims'],
];

function failure(status: 401 | 403 | 503, reason: AuthFailure): AuthResult {
  return { ok: false, status, reason };
}

/**
 * Builds the authenticator for `config`. OIDC: signature against Google's certs (or `certs`),
 * `aud` = audience, issuer accounts.google.com, not expired, `email` = the service account and
 * `email_verified`. Token: constant-time comparison with the shared token.
 */
export function createPushAuthenticator(config: PushAuthConfig, certs?: CertSource): PushAuthenticator {
  if (config.kind === 'disabled') return () => Promise.resolve(failure(403, 'not-configured'));
  if (config.kind === 'token') {
    return (authorization) => {
      const token = bearer(authorization);
      if (token === undefined) return Promise.resolve(failure(401, 'missing-token'));
      return Promise.resolve(
        sameSecret(token, config.token)
          ? { ok: true, principal: 'shared-token' }
          : failure(403, 'invalid-token'),
      );
    };
  }
  const client = new OAuth2Client();
  const getCerts: CertSource = certs ?? (async () => (await client.getFederatedSignonCertsAsync()).certs);
  return async (authorization) => {
    const token = bearer(authorization);
    if (token === undefined) return failure(401, 'missing-token');
    let keys: Certificates;
    try {
      keys = await getCerts();
    } catch {
      // Not the caller's fault: a 403 would make Pub/Sub give up on a good message's delivery.
      return failure(503, 'certificates-unavailable');
    }
    let payload;
    try {
      payload = (
        await client.verifySignedJwtWithCertsAsync(token, keys, config.audience, GOOGLE_ISSUERS)
      ).getPayload();
    } catch (e: unknown) {
      const message = e instanceof Error ? e.message : '';
      return failure(
        403,
        LIBRARY_FAILURES.find(([pattern]) => pattern.test(message))?.[1] ?? 'invalid-token',
      );
    }
    if (payload?.email !== config.serviceAccount) return failure(403, 'wrong-account');
    if (payload.email_verified !== true) return failure(403, 'unverified-email');
    return { ok: true, principal: payload.email };
  };
}
