import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('createLogger: redaction', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJlbWFpbCI6InB1c2hAcC5pYW0ifQ.c2lnbmF0dXJlLWJ5dGVz';
  const secrets = [
    'sk-shared-token-123',
    jwt,
    'eyJlbWFpbCI6InB1c2hAcC5pYW0ifQ',
    'ghp_abc123',
    'pw-xyz',
    'whole body text',
  ];

  it('never writes a bearer token, a JWT, a credentialed repository URL or a body', () => {
    const out = capture();
    const log = createLogger({ name: 'test', level: 'info', destination: out.stream });
    log.info({ headers: { authorization: 'Bearer sk-shared-token-123' } }, 'request');
    log.info({ req: { headers: { authorization: `Bearer ${jwt}` } } }, 'nested request');
    log.warn({ token: jwt, password: 'pw-xyz', body: 'whole body text' }, 'secrets by name');
    log.info({ request: { source: { repoUrl: 'https://x:ghp_abc123@github.com/o/r.git' } } }, 'start');
    log.info({ repoUrl: 'https://ghp_abc123@github.com/o/r.git' }, 'resolved commit');
    // Free text too: an error message quoting a token, a JWT in the message itself.
    log.error({ error: 'fatal: unable to access https://u:ghp_abc123@github.com/o/r/' }, 'git failed');
    log.warn(`rejected Bearer ${jwt}`);
    log.error({ err: new Error('clone https://u:ghp_abc123@github.com/o/r failed') }, 'error object');
    const text = out.text();
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).toContain('clone https://[redacted]@github.com/o/r failed');
    expect(text).toContain('https://[redacted]@github.com/o/r.git');
    expect(text.split('\n').filter(Boolean)).toHaveLength(8);
  });

  it('keeps what is not secret', () => {
    const out = capture();
    createLogger({ name: 'test', destination: out.stream }).info(
      { messageId: 'm1', reason: 'invalid-parameters', repoUrl: 'https://github.com/o/r.git' },
      'dead-lettered',
    );
    expect(JSON.parse(out.text())).toMatchObject({
      name: 'test',
      msg: 'dead-lettered',
      messageId: 'm1',
      reason: 'invalid-parameters',
      repoUrl: 'https://github.com/o/r.git',
    });
  });
});
