import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { temporalLoggerFrom } from './temporal-logger.ts';

/** A pino logger writing into an array, and the array. */
function capture(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, stream), lines };
}

describe('temporalLoggerFrom', () => {
  it('maps Temporal levels to pino levels and keeps the metadata', () => {
    const { logger, lines } = capture();
    const log = temporalLoggerFrom(logger);
    log.debug('d', { workflowId: 'w', runId: 'r' });
    log.warn('w');
    expect(lines.map((l) => [l['level'], l['msg'], l['workflowId'], l['runId']])).toEqual([
      [20, 'd', 'w', 'r'],
      [40, 'w', undefined, undefined],
    ]);
  });

  it("names an activity line's run id runId, like a workflow line's", () => {
    const { logger, lines } = capture();
    temporalLoggerFrom(logger).info('activity', {
      workflowId: 'penguins-1',
      workflowRunId: '0b5c…',
      activityType: 'startBuild',
    });
    expect(lines[0]).toMatchObject({ workflowId: 'penguins-1', runId: '0b5c…', activityType: 'startBuild' });
    expect(lines[0]).not.toHaveProperty('workflowRunId');
  });

  it('links traced lines to their trace in Cloud Logging when a project is given', () => {
    const { logger, lines } = capture();
    const meta = { trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16), trace_flags: '01' };
    temporalLoggerFrom(logger, { traceProject: 'my-project' }).info('traced', meta);
    temporalLoggerFrom(logger).info('traced, no project', meta);
    expect(lines[0]).toMatchObject({
      'logging.googleapis.com/trace': `projects/my-project/traces/${'a'.repeat(32)}`,
      'logging.googleapis.com/spanId': 'b'.repeat(16),
      'logging.googleapis.com/trace_sampled': true,
    });
    expect(lines[1]).not.toHaveProperty('logging.googleapis.com/trace');
  });
});
