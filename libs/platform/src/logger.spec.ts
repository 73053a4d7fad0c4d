import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

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
