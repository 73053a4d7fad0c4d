// The server stores cron expressions as structured calendars; this turns one back into cron text
// for display (`0 */3 * * *` style, seconds shown only when not 0).
import type { CalendarSpecDescription, Range } from '@temporalio/client';

const MONTHS = [
  'JANUARY',
  'FEBRUARY',
  'MARCH',
  'APRIL',
  'MAY',
  'JUNE',
  'JULY',
  'AUGUST',
  'SEPTEMBER',
  'OCTOBER',
  'NOVEMBER',
  'DECEMBER',
];
const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

function field(
  ranges: readonly Range<number | string>[],
  min: number,
  max: number,
  names?: readonly string[],
): string {
  const num = (v: number | string) =>
    typeof v === 'number' ? v : (names?.indexOf(v) ?? -1) + (names === MONTHS ? 1 : 0);
  const parts = ranges.map((r) => {
    const start = num(r.start);
    const end = num(r.end);
    const step = r.step > 1 ? `/${r.step}` : '';
    if (start === min && end >= max) return `*${step}`;
    return start === end ? `${start}${step}` : `${start}-${end}${step}`;
  });
  return parts.length === 0 ? '*' : parts.join(',');
}

/** Cron text of a structured calendar, e.g. `*\/3 * * * *`. */
export function calendarToCron(c: CalendarSpecDescription): string {
  const text = [
    field(c.minute, 0, 59),
    field(c.hour, 0, 23),
    field(c.dayOfMonth, 1, 31),
    field(c.month, 1, 12, MONTHS),
    field(c.dayOfWeek, 0, 6, DAYS),
  ].join(' ');
  const seconds = field(c.second, 0, 59);
  return seconds === '0' ? text : `${seconds} ${text}`;
}
