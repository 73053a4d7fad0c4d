import { describe, expect, it } from 'vitest';
import { scheduleIdOf, specFrom } from './flags.ts';

describe('schedule spec flags', () => {
  it('builds the spec from temporal’s flag names, an interval with its phase offset', () => {
    expect(
      specFrom({
        cron: ['0 3 * * *'],
        interval: ['90m/15m'],
        timeZone: 'Europe/Paris',
        startTime: '2030-01-01T00:00:00Z',
        endTime: '2031-01-01T00:00:00Z',
        jitter: '30s',
      }),
    ).toEqual({
      cronExpressions: ['0 3 * * *'],
      intervals: [{ every: 5_400_000, offset: 900_000 }],
      timezone: 'Europe/Paris',
      startAt: new Date('2030-01-01T00:00:00Z'),
      endAt: new Date('2031-01-01T00:00:00Z'),
      jitter: 30_000,
    });
  });

  it('merges the older aliases into the same spec', () => {
    expect(specFrom({ interval: ['1h'], every: ['2h'], tz: 'UTC' })).toEqual({
      intervals: [{ every: 3_600_000 }, { every: 7_200_000 }],
      timezone: 'UTC',
    });
    expect(specFrom({ timeZone: 'A', tz: 'B', cron: ['* * * * *'] })?.timezone).toBe('A');
  });

  it('no spec without --cron or --interval; its companions alone are an error naming them', () => {
    expect(specFrom({})).toBeUndefined();
    expect(() => specFrom({ jitter: '1s' })).toThrow(/--jitter: goes with --cron or --interval/);
    expect(() => specFrom({ interval: ['1h/2m/3s'] })).toThrow(
      /--interval: '1h\/2m\/3s' is not <every>\[\/<offset>\]/,
    );
    expect(() =>
      specFrom({ interval: ['1h'], startTime: '2030-01-02T00:00:00Z', endTime: '2030-01-01T00:00:00Z' }),
    ).toThrow(/--end-time: must be after --start-time/);
  });

  it('takes the id from -s or the argument, and refuses two different ones', () => {
    expect(scheduleIdOf('a', undefined)).toBe('a');
    expect(scheduleIdOf(undefined, 'b')).toBe('b');
    expect(scheduleIdOf('c', 'c')).toBe('c');
    expect(() => scheduleIdOf('a', 'b')).toThrow(/--schedule-id: 'b' and the argument 'a' differ/);
    expect(() => scheduleIdOf(undefined, undefined)).toThrow(/--schedule-id: required/);
  });
});
