import { describe, expect, it } from 'vitest';
import { BadRequestError, ConflictError } from '../../shared/errors';
import type { Activity, Signup } from '../../shared/volunteers/model';
import { decideCheck } from '../../shared/volunteers/transitions';

/** Check-in and check-out without a database (#17): the windows to the millisecond, the code, the minutes. */
const startAt = '2026-12-01T01:00:00.000Z'; // 09:00 Beijing
const endAt = '2026-12-01T04:00:00.000Z'; // 12:00 Beijing
const a = { activityId: 'A1', checkinCode: 'K7Q2', startAt, endAt, teamId: 'T01', activityType: 'clinic' } as unknown as Activity;
const confirmed = { activityId: 'A1', userId: 'volunteer-1', status: 'confirmed', startAt, endAt } as unknown as Signup;
const at = (iso: string, ms = 0) => new Date(Date.parse(iso) + ms);
const minute = 60_000;

describe('check-in', () => {
  it('opens exactly 30 minutes before the start and closes at the end', () => {
    expect(() => decideCheck(a, confirmed, 'K7Q2', 'in', at(startAt, -30 * minute - 1))).toThrow(expect.objectContaining({ code: 'OUTSIDE_CHECKIN_WINDOW' }));
    expect(decideCheck(a, confirmed, 'k7q2', 'in', at(startAt, -30 * minute))).toMatchObject({ kind: 'in', after: { checkedInAt: '2026-12-01T00:30:00.000Z' } });
    expect(decideCheck(a, confirmed, 'K7Q2', 'in', at(endAt)).kind).toBe('in');
    expect(() => decideCheck(a, confirmed, 'K7Q2', 'in', at(endAt, 1))).toThrow(expect.objectContaining({ code: 'OUTSIDE_CHECKIN_WINDOW' }));
  });

  it('needs the code on site and a confirmed seat; a second check-in changes nothing', () => {
    expect(() => decideCheck(a, confirmed, 'XXXX', 'in', at(startAt))).toThrow(BadRequestError);
    expect(() => decideCheck(a, { ...confirmed, status: 'waitlisted' } as Signup, 'K7Q2', 'in', at(startAt))).toThrow(ConflictError);
    expect(() => decideCheck(a, null, 'K7Q2', 'in', at(startAt))).toThrow(expect.objectContaining({ code: 'NOT_CONFIRMED' }));
    const checkedIn = { ...confirmed, checkedInAt: startAt };
    expect(decideCheck(a, checkedIn, 'K7Q2', 'in', at(startAt, minute))).toEqual({ kind: 'unchanged', signup: checkedIn });
  });
});

describe('check-out', () => {
  const checkedIn = { ...confirmed, checkedInAt: '2026-12-01T00:40:00.000Z' }; // 20 minutes early

  it('counts minutes within the activity only, and the figures with them', () => {
    const d = decideCheck(a, checkedIn, 'K7Q2', 'out', at(startAt, 90 * minute));
    expect(d).toMatchObject({ kind: 'out', minutes: 90, after: { minutes: 90, checkedOutAt: '2026-12-01T02:30:00.000Z' } });
    if (d.kind !== 'out') throw new Error('not a check-out');
    expect(d.delta!.updates.map((u) => [u.period, u.dimension, u.value, u.adds])).toEqual([
      ['2026-12', 'ALL', 'all', { personTimes: 1, volunteerMinutes: 90 }],
      ['2026-12', 'TEAM', 'T01', { personTimes: 1, volunteerMinutes: 90 }],
      ['2026-12', 'TYPE', 'clinic', { personTimes: 1, volunteerMinutes: 90 }],
    ]);
    // Leaving after the end counts up to the end: 3 hours.
    expect(decideCheck(a, checkedIn, 'K7Q2', 'out', at(endAt, 100 * minute))).toMatchObject({ minutes: 180 });
  });

  it('closes exactly two hours after the end; needs a check-in; a second check-out changes nothing', () => {
    expect(decideCheck(a, checkedIn, 'K7Q2', 'out', at(endAt, 120 * minute)).kind).toBe('out');
    expect(() => decideCheck(a, checkedIn, 'K7Q2', 'out', at(endAt, 120 * minute + 1))).toThrow(expect.objectContaining({ code: 'OUTSIDE_CHECKOUT_WINDOW' }));
    expect(() => decideCheck(a, confirmed, 'K7Q2', 'out', at(startAt))).toThrow(expect.objectContaining({ code: 'NOT_CHECKED_IN' }));
    const out = { ...checkedIn, checkedOutAt: endAt, minutes: 180 };
    expect(decideCheck(a, out, 'K7Q2', 'out', at(endAt, minute))).toEqual({ kind: 'unchanged', signup: out });
  });

  it('a check-out at the start (nothing served) counts 0 minutes', () => {
    expect(decideCheck(a, checkedIn, 'K7Q2', 'out', at(startAt))).toMatchObject({ minutes: 0 });
  });
});
