import { describe, expect, it } from 'vitest';

import { readableId } from '../../shared/ids';
import { isoDateTime } from '../../shared/schemas/common';
import { monthOf } from '../../shared/stats/counters';
import { addDays, atBeijing, beijingClock, beijingDate, beijingMonth, beijingText, beijingTextFrom, beijingWeekday, beijingWeekdayName, dayMs, nextBeijingClockAfter } from '../../shared/time';

describe('Beijing calendar arithmetic at the edges of both days', () => {
  it.each([
    ['2027-03-15T15:59:59.999Z', '2027-03-15', '23:59'], // last moment of the Beijing day
    ['2027-03-15T16:00:00.000Z', '2027-03-16', '00:00'], // Beijing midnight, still the 15th in UTC
    ['2027-03-15T23:59:59.999Z', '2027-03-16', '07:59'], // last moment of the UTC day
    ['2027-03-16T00:00:00.000Z', '2027-03-16', '08:00'], // UTC midnight: the Beijing day does not change
  ])('%s is %s %s in Beijing', (iso, date, clock) => {
    expect(beijingDate(new Date(iso))).toBe(date);
    expect(beijingDate(iso)).toBe(date);
    expect(beijingClock(iso)).toBe(clock);
  });

  it('turns the day of the week at Beijing midnight (16:00 UTC), not UTC midnight', () => {
    // Thursday 2027-03-11, 23:59:59.999 in Beijing; a millisecond later it is Friday there.
    expect(beijingWeekday('2027-03-11T15:59:59.999Z')).toBe(4);
    expect(beijingWeekday('2027-03-11T16:00:00.000Z')).toBe(5);
    // UTC midnight is 08:00 in Beijing: still the same Beijing day on both sides.
    expect(beijingWeekday('2027-03-11T23:59:59.999Z')).toBe(5);
    expect(beijingWeekday(new Date('2027-03-12T00:00:00.000Z'))).toBe(5);
    // Saturday night to Sunday.
    expect([beijingWeekday('2027-03-13T15:59:59.999Z'), beijingWeekday('2027-03-13T16:00:00.000Z')]).toEqual([6, 0]);
    expect([beijingWeekdayName('2027-03-13T15:59:59.999Z'), beijingWeekdayName('2027-03-13T16:00:00.000Z')]).toEqual(['周六', '周日']);
  });

  it('turns months and years over at Beijing midnight, not UTC midnight', () => {
    expect(beijingMonth('2027-04-30T15:59:59Z')).toBe('2027-04');
    expect(beijingMonth('2027-04-30T16:00:00Z')).toBe('2027-05');
    expect(monthOf('2027-12-31T16:00:00Z')).toBe('2028-01');
    expect(monthOf('2027-12-31T15:59:59Z')).toBe('2027-12');
    expect(readableId('R', new Date('2027-12-31T16:00:00Z'))).toMatch(/^R280101[0-9A-Z]{6}$/);
    expect(readableId('R', new Date('2027-12-31T15:59:00Z'))).toMatch(/^R271231[0-9A-Z]{6}$/);
  });

  it('adds days across month, leap-day and year ends', () => {
    expect(addDays('2027-01-31', 1)).toBe('2027-02-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2027-12-31', 1)).toBe('2028-01-01');
    expect(addDays('2028-01-01', -1)).toBe('2027-12-31');
  });

  it('places a Beijing wall-clock time on its instant', () => {
    expect(atBeijing('2027-03-16', '09:00').toISOString()).toBe('2027-03-16T01:00:00.000Z');
    expect(atBeijing('2028-01-01').toISOString()).toBe('2027-12-31T16:00:00.000Z');
  });

  it.each([
    // now, the first 09:00 Beijing at least a day away
    ['2027-03-15T00:30:00Z', '2027-03-16T01:00:00.000Z'], // 08:30 Beijing: tomorrow's 09:00 is 24.5 h away
    ['2027-03-15T01:00:00Z', '2027-03-16T01:00:00.000Z'], // exactly 09:00 Beijing: exactly a day
    ['2027-03-15T01:01:00Z', '2027-03-17T01:00:00.000Z'], // a minute later: the day after
    ['2027-03-15T15:59:00Z', '2027-03-17T01:00:00.000Z'],
    ['2027-03-15T16:01:00Z', '2027-03-17T01:00:00.000Z'], // 00:01 Beijing on the 16th
    ['2027-12-31T16:01:00Z', '2028-01-02T01:00:00.000Z'],
  ])('at %s the next 09:00 a day away is %s', (now, expected) => {
    const at = nextBeijingClockAfter(new Date(now), dayMs, '09:00');
    expect(at.toISOString()).toBe(expected);
  });

  it('words a time for a message from the reader\'s day', () => {
    const now = new Date('2027-03-15T15:30:00Z'); // 23:30 Beijing on the 15th
    expect(beijingTextFrom(now, '2027-03-15T15:45:00Z')).toBe('今天 23:45');
    expect(beijingTextFrom(now, '2027-03-16T01:00:00Z')).toBe('明天 09:00');
    expect(beijingTextFrom(now, '2027-03-17T01:00:00Z')).toBe('3月17日 09:00');
    // 00:30 Beijing on the 16th: an activity at 09:00 the same morning is "today", not "tomorrow".
    expect(beijingTextFrom(new Date('2027-03-15T16:30:00Z'), '2027-03-16T01:00:00Z')).toBe('今天 09:00');
    expect(beijingText('2027-12-31T16:00:00Z')).toBe('1月1日 00:00');
  });
});

describe('times at the API boundary', () => {
  it('accepts any offset and keeps the instant in UTC, so stored times compare as strings', () => {
    expect(isoDateTime.parse('2027-03-16T09:00:00+08:00')).toBe('2027-03-16T01:00:00.000Z');
    expect(isoDateTime.parse('2027-03-16T01:00:00Z')).toBe('2027-03-16T01:00:00.000Z');
    expect(isoDateTime.parse('2027-03-15T20:00:00-05:00')).toBe('2027-03-16T01:00:00.000Z');
    expect(isoDateTime.safeParse('2027-03-16 09:00').success).toBe(false);
    expect(isoDateTime.safeParse('2027-03-16T09:00:00').success).toBe(false);
  });
});
