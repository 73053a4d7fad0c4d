// Request bodies of the bridge's POST endpoints (Pub/Sub push, GitHub webhook): read within a limit,
// then strict UTF-8 and JSON. Errors never quote the body: it is the caller's and can be anything.
import type { IncomingMessage as HttpRequest } from 'node:http';

/** The body went over the endpoint's limit. */
export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
}

/**
 * Reads the whole body, refusing it as soon as it passes `limit` bytes.
 * @throws BodyTooLarge
 */
export async function readBody(req: HttpRequest, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge(`body over ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Strict UTF-8: a malformed byte is an error, not a replacement character. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as JSON, or why it is not: `body is not UTF-8` / `body is not JSON`. */
export function parseJsonBody(
  bytes: Buffer,
): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string } {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, error: 'body is not UTF-8' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    // Not the parser's message: it quotes the body.
    return { ok: false, error: 'body is not JSON' };
  }
}
