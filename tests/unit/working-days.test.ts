import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { addWorkingDays, calendarYears, checkCalendar, isWorkingDay, workingDaysBetween } from '../../shared/legal/working-days';

const require = createRequire(import.meta.url);

/**
 * Working days in China (the legal-aid decision's 7 working days), on the holiday table of the
 * pinned chinese-days package: holidays off, swapped weekend days (调休) on, the day of receipt not
 * counted, the day decided by Beijing time — tested at both edges of the Beijing day.
 */
describe('working days', () => {
  it('holidays are off, the swapped Saturday and Sunday are on', () => {
    expect(['2026-10-01', '2026-10-07', '2026-10-08', '2026-10-10', '2026-09-20', '2026-10-11'].map(isWorkingDay)).toEqual([false, false, true, true, true, false]);
    // Spring Festival 2026: 15–23 February off; Saturday 28 February worked.
    expect(['2026-02-16', '2026-02-23', '2026-02-24', '2026-02-28'].map(isWorkingDay)).toEqual([false, false, true, true]);
  });

  it('seven working days after receipt skip National Day', () => {
    // Received Tuesday 29 September, 10:00 Beijing.
    expect(addWorkingDays(new Date('2026-09-29T02:00:00Z'), 7)).toEqual({ date: '2026-10-14', estimated: false });
  });

  it('the day of receipt is the Beijing day: 23:59:59 is still that day, 00:00 the next (16:00 UTC)', () => {
    expect(addWorkingDays(new Date('2026-09-29T15:59:59.999Z'), 7).date).toBe('2026-10-14');
    expect(addWorkingDays(new Date('2026-09-29T16:00:00.000Z'), 7).date).toBe('2026-10-15');
    // A Friday evening in UTC is Saturday in Beijing: Monday counts first either way.
    expect(addWorkingDays(new Date('2026-11-27T15:59:59Z'), 1).date).toBe('2026-11-30');
    expect(addWorkingDays(new Date('2026-11-27T16:00:00Z'), 1).date).toBe('2026-11-30');
  });

  it('past the table the count falls back to weekends and says so', () => {
    expect(calendarYears.last).toBe(2026);
    expect(addWorkingDays(new Date('2026-12-28T02:00:00Z'), 7)).toEqual({ date: '2027-01-06', estimated: true });
    expect(addWorkingDays(new Date('2026-12-21T02:00:00Z'), 7)).toEqual({ date: '2026-12-30', estimated: false });
  });

  it('counts the working days a decision took', () => {
    expect(workingDaysBetween(new Date('2026-09-29T02:00:00Z'), new Date('2026-09-29T09:00:00Z'))).toBe(0);
    expect(workingDaysBetween(new Date('2026-09-29T02:00:00Z'), new Date('2026-10-12T03:00:00Z'))).toBe(5);
  });

  it('imports every year the pinned package holds from 2025 on (a bumped package with a new year fails here until it is imported)', () => {
    const packaged = readdirSync(join(dirname(require.resolve('chinese-days/package.json')), 'dist/years'))
      .filter((f) => /^\d{4}\.json$/.test(f))
      .map((f) => Number(f.slice(0, 4)));
    expect(calendarYears).toEqual({ first: 2025, last: Math.max(...packaged) });
  });

  it('the start-up check warns when the table does not reach a month ahead', () => {
    expect(checkCalendar(new Date('2026-11-29T16:00:00Z'))).toEqual({ ok: true, message: '节假日日历覆盖 2025–2026 年' });
    expect(checkCalendar(new Date('2026-12-01T16:00:00Z'))).toEqual({ ok: false, message: '节假日日历只到 2026 年：2027 年的工作日暂按周末推算，请升级 chinese-days' });
  });
});
