// GitHub's webhook signature (`X-Hub-Signature-256`): `sha256=` + the hex HMAC-SHA256 of the raw
// request body, keyed with the webhook's secret. The bridge verifies it; `conveyor hook notify`
// signs local pushes with it.
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';

/** The `X-Hub-Signature-256` value of `body` under `secret`. */
export function githubSignature(secret: string, body: Buffer): string {
  return `${PREFIX}${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Whether `header` is the signature of `body` under `secret`. Compared in constant time; a missing
 * or malformed header is simply not a match (the caller answers every failure the same way).
 */
export function verifyGithubSignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (header === undefined || !/^sha256=[0-9a-fA-F]{64}$/.test(header)) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(header.slice(PREFIX.length), 'hex');
  return timingSafeEqual(expected, given);
}
