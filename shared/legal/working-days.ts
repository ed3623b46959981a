import y2025 from 'chinese-days/dist/years/2025.json';
import y2026 from 'chinese-days/dist/years/2026.json';

import { logger } from '../logger';
import { addDays, beijingDate, beijingWeekday } from '../time';

/**
 * Working days in China (法律援助: a decision within 7 working days): weekends and the public
 * holidays the State Council announces each year are off, the weekend days it swaps in (调休) are
 * on. The tables are the ones the `chinese-days` package maintains, one file a year (2 KB each,
 * not its 37 KB of every year since 2004 nor its lunar calendar), pinned in package.json. A
 * deadline is at most weeks away, so the years imported are last year's and this year's. For a day
 * past the last one the rule falls back to weekends only and says so (`estimated`). When the State
 * Council publishes the next year's schedule: bump the package and import its year here
 * (tests/unit/working-days.test.ts fails while the package holds a year not imported); the
 * cold-start check below warns a month ahead.
 */
const tables = [y2025, y2026];
const holidays = new Set(tables.flatMap((t) => Object.keys(t.holidays)));
const swappedWorkdays = new Set(tables.flatMap((t) => Object.keys(t.workdays)));
const years = tables.flatMap((t) => Object.keys(t.holidays)).map((d) => Number(d.slice(0, 4)));
export const calendarYears = { first: Math.min(...years), last: Math.max(...years) };

export function calendarCovers(date: string): boolean {
  const year = Number(date.slice(0, 4));
  return year >= calendarYears.first && year <= calendarYears.last;
}

/** Whether a Beijing date (`yyyy-mm-dd`) is a working day. */
export function isWorkingDay(date: string): boolean {
  if (holidays.has(date)) return false;
  if (swappedWorkdays.has(date)) return true;
  const weekday = beijingWeekday(`${date}T12:00:00+08:00`);
  return weekday !== 0 && weekday !== 6;
}

/**
 * The `n`th working day after the Beijing day of `from` (the day of receipt is not counted, as
 * the law counts periods), and whether a day on the way lay past the table (`estimated`).
 */
export function addWorkingDays(from: Date | string, n: number): { date: string; estimated: boolean } {
  let date = beijingDate(from);
  let estimated = false;
  for (let left = n; left > 0; ) {
    date = addDays(date, 1);
    if (!calendarCovers(date)) estimated = true;
    if (isWorkingDay(date)) left--;
  }
  return { date, estimated };
}

/** Working days from the Beijing day of `from` to that of `to` (0 when the same day). */
export function workingDaysBetween(from: Date | string, to: Date | string): number {
  const end = beijingDate(to);
  let n = 0;
  for (let date = addDays(beijingDate(from), 1); date <= end; date = addDays(date, 1)) if (isWorkingDay(date)) n++;
  return n;
}

/**
 * The start-up check: the table must cover this year and the next month's (a deadline falls up to
 * about two weeks ahead). A warning on every cold start until the package is bumped.
 */
export function checkCalendar(now = new Date()): { ok: boolean; message: string } {
  const through = beijingDate(new Date(now.getTime() + 31 * 86_400_000));
  const ok = calendarCovers(beijingDate(now)) && calendarCovers(through);
  const message = ok
    ? `节假日日历覆盖 ${calendarYears.first}–${calendarYears.last} 年`
    : `节假日日历只到 ${calendarYears.last} 年：${calendarYears.last + 1} 年的工作日暂按周末推算，请升级 chinese-days`;
  if (!ok) logger.warn('holiday calendar does not cover the coming weeks', { calendarYears, through });
  return { ok, message };
}
