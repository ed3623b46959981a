/**
 * Calendar arithmetic in Beijing time (UTC+8, no daylight saving), the one place it is written.
 *
 * Residents, grid workers and the staff's figures count days and months in Beijing time, while
 * instants are stored as UTC ISO strings. Anything that asks "which day is it" or "09:00 on
 * that day" goes through here, never through UTC midnight (`Math.floor(t / 86_400_000)`), which
 * falls at 08:00 Beijing time and made the evening's demo data expire while it was created.
 */
export const minuteMs = 60_000;
export const hourMs = 60 * minuteMs;
export const dayMs = 24 * hourMs;
const beijingOffsetMs = 8 * hourMs;

/** The Beijing calendar date of an instant, `yyyy-mm-dd`. */
export function beijingDate(t: Date | string): string {
  return shiftToBeijing(t).toISOString().slice(0, 10);
}

/** The Beijing month of an instant, `yyyy-mm` (the figures' month). */
export function beijingMonth(t: Date | string): string {
  return shiftToBeijing(t).toISOString().slice(0, 7);
}

/** The Beijing wall-clock time of an instant, `HH:mm`. */
export function beijingClock(t: Date | string): string {
  return shiftToBeijing(t).toISOString().slice(11, 16);
}

/** The Beijing day of the week of an instant: 0 Sunday … 6 Saturday. */
export function beijingWeekday(t: Date | string): number {
  return shiftToBeijing(t).getUTCDay();
}

/** The Beijing day of the week as residents say it: 周一 … 周日. */
export function beijingWeekdayName(t: Date | string): string {
  return `周${'日一二三四五六'[beijingWeekday(t)]}`;
}

/** How a time reads in a message to a resident: `11月30日 09:00` (Beijing time). */
export function beijingText(t: Date | string): string {
  const d = shiftToBeijing(t);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${d.toISOString().slice(11, 16)}`;
}

/** `明天 09:00` when the instant falls on the Beijing day after `now`, else `11月30日 09:00`. */
export function beijingTextFrom(now: Date, t: Date | string): string {
  const day = beijingDate(t);
  if (day === beijingDate(now)) return `今天 ${beijingClock(t)}`;
  if (day === addDays(beijingDate(now), 1)) return `明天 ${beijingClock(t)}`;
  return beijingText(t);
}

/** The instant of a Beijing wall-clock time on a Beijing date: (`2026-11-30`, `09:00`) → 01:00Z. */
export function atBeijing(date: string, clock = '00:00'): Date {
  return new Date(`${date}T${clock}:00+08:00`);
}

/** A calendar date `days` later (or earlier), `yyyy-mm-dd` → `yyyy-mm-dd`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/**
 * The first `clock` (Beijing) that is at least `minLeadMs` after `now`: "09:00 on the first day
 * that is a full day away" whatever hour it is now, in either time zone.
 */
export function nextBeijingClockAfter(now: Date, minLeadMs: number, clock: string): Date {
  const earliest = new Date(now.getTime() + minLeadMs);
  const sameDay = atBeijing(beijingDate(earliest), clock);
  return sameDay >= earliest ? sameDay : atBeijing(addDays(beijingDate(earliest), 1), clock);
}

/** Normalises an ISO-8601 instant with any offset to UTC (`…Z`), so stored times sort and compare as strings. */
export function toUtcIso(iso: string): string {
  return new Date(iso).toISOString();
}

function shiftToBeijing(t: Date | string): Date {
  return new Date((typeof t === 'string' ? Date.parse(t) : t.getTime()) + beijingOffsetMs);
}
