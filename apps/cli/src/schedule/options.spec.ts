import { describe, expect, it } from 'vitest';
import { calendarToCron } from './calendar.ts';
import { formatDuration, parseDuration, parseParams } from '../common/flags.ts';
import { parseOverlap, scheduleRequest, trainingRunAction } from './options.ts';

describe('schedule flags', () => {
  it('parses durations and rejects junk', () => {
    expect(parseDuration('2s', '--every')).toBe(2_000);
    expect(parseDuration('10m', '--every')).toBe(600_000);
    expect(parseDuration('1h30m', '--every')).toBe(5_400_000);
    expect(parseDuration('500ms', '--jitter')).toBe(500);
    expect(() => parseDuration('10', '--every')).toThrow(/--every: '10' is not a duration/);
    expect(() => parseDuration('10 minutes', '--every')).toThrow(/--every/);
    expect(formatDuration(5_400_000)).toBe('1h30m');
  });

  it("takes temporal's overlap policy names in any case, and the older kebab-case ones", () => {
    expect(parseOverlap('Skip')).toBe('SKIP');
    expect(parseOverlap('BufferOne')).toBe('BUFFER_ONE');
    expect(parseOverlap('terminateother')).toBe('TERMINATE_OTHER');
    expect(parseOverlap('buffer-one')).toBe('BUFFER_ONE');
    expect(parseOverlap('allow-all')).toBe('ALLOW_ALL');
    expect(() => parseOverlap('sometimes')).toThrow(
      /--overlap-policy: 'sometimes' is not one of Skip, BufferOne, BufferAll, CancelOther, TerminateOther, AllowAll/,
    );
  });

  it('parses params', () => {
    expect(parseParams(['num_epochs=3', 'x=a=b'])).toEqual({ num_epochs: '3', x: 'a=b' });
    expect(() => parseParams(['num_epochs'])).toThrow(/--param/);
  });

  it('types parameters at create time and keeps only the given ones', () => {
    const r = scheduleRequest(
      {
        pipeline: 'penguins',
        params: { num_epochs: '3', learning_rate: '1e-2' },
        repoUrl: '/repo',
        branch: 'main',
      },
      'nightly',
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(r.parameters).toEqual({ num_epochs: 3, learning_rate: 0.01 });
    expect(r.trigger).toEqual({ kind: 'schedule', id: 'nightly', at: '2026-01-01T00:00:00.000Z' });
    expect(() =>
      scheduleRequest(
        { pipeline: 'penguins', params: { num_epochs: '3.5' }, repoUrl: '/r', branch: 'main' },
        'x',
        new Date(),
      ),
    ).toThrow(/num_epochs: expected an integer/);
    expect(() =>
      scheduleRequest({ pipeline: 'nope', params: {}, repoUrl: '/r', branch: 'main' }, 'x', new Date()),
    ).toThrow(/unknown pipeline 'nope'/);
  });

  it('builds the action like startTrainingRun', () => {
    const r = scheduleRequest(
      { pipeline: 'penguins', params: { num_epochs: '3' }, repoUrl: '/r', branch: 'main' },
      'n',
      new Date(),
    );
    const a = trainingRunAction(r, 'n', 'q');
    expect(a).toMatchObject({
      workflowType: 'trainingRun',
      workflowId: 'n',
      taskQueue: 'q',
      args: [r],
      memo: { request: r },
    });
    expect(a.staticSummary).toBe('penguins · num_epochs=3 · schedule');
  });

  it('renders structured calendars back as cron', () => {
    const all = (start: number, end: number, step = 1) => [{ start, end, step }];
    const c = {
      second: all(0, 0),
      minute: all(0, 59, 3),
      hour: all(0, 23),
      dayOfMonth: all(1, 31),
      month: [{ start: 'JANUARY' as const, end: 'DECEMBER' as const, step: 1 }],
      year: [],
      dayOfWeek: [{ start: 'MONDAY' as const, end: 'FRIDAY' as const, step: 1 }],
    };
    expect(calendarToCron(c)).toBe('*/3 * * * 1-5');
  });
});
