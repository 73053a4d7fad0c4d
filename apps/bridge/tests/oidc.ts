// Google-style OIDC ID tokens signed with a locally generated RSA key: push auth tests need no network.
import { createSign, generateKeyPairSync } from 'node:crypto';

/** A signing key and the certs map a verifier needs (`{kid: PEM}`). */
export interface TestSigner {
  readonly kid: string;
  readonly certs: Record<string, string>;
  /** A compact RS256 JWT with `claims` (iat/exp defaulted to now / now + 1 h). */
  sign(claims: Record<string, unknown>): string;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** A fresh RSA key pair; `kid` lets a forger reuse the real key id. */
export function testSigner(kid = 'test-key'): TestSigner {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid,
    certs: { [kid]: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    sign(claims) {
      const now = Math.floor(Date.now() / 1000);
      const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
      const body = b64url(JSON.stringify({ iat: now, exp: now + 3600, ...claims }));
      const signature = createSign('RSA-SHA256').update(`${header}.${body}`).sign(privateKey);
      return `${header}.${body}.${b64url(signature)}`;
    },
  };
}
