import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

const logger = join(dirname(fileURLToPath(import.meta.url)), 'logger.ts');

/** Lines the real logger writes to stdout in a process of its own, parsed. */
function linesOf(script: string): Record<string, unknown>[] {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('createLogger: JSON lines Cloud Logging understands', () => {
  it('writes a Cloud Logging severity for every pino level, keeping the numeric level', () => {
    const lines = linesOf(
      `import { createLogger } from ${JSON.stringify(logger)};
       const log = createLogger({ name: 'spec', level: 'trace' });
       for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal']) log[level]({ k: 1 }, level);`,
    );
    // By level: the order lines reach the pipe is not the point here.
    const byLevel = lines.map((l) => [l['msg'], l['severity'], l['level']] as const);
    byLevel.sort((a, b) => Number(a[2]) - Number(b[2]));
    expect(byLevel).toEqual([
      ['trace', 'DEBUG', 10],
      ['debug', 'DEBUG', 20],
      ['info', 'INFO', 30],
      ['warn', 'WARNING', 40],
      ['error', 'ERROR', 50],
      ['fatal', 'CRITICAL', 60],
    ]);
    expect(lines[0]).toMatchObject({ name: 'spec', k: 1 });
  });

  it('stamps an RFC 3339 time (Cloud Logging ignores epoch milliseconds)', () => {
    const [line] = linesOf(
      `import { createLogger } from ${JSON.stringify(logger)};
       createLogger({ name: 'spec' }).info('hello');`,
    );
    expect(line?.['time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

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
