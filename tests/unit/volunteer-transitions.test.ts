import { describe, expect, it } from 'vitest';

import { BadRequestError, ConflictError } from '../../shared/errors';
import type { Activity, Signup } from '../../shared/volunteers/model';
import type { SeatState } from '../../shared/volunteers/repository';
import { decideCancel, decideCheck, decideFinish, decideLapse, decideResend, nextOffer, offerHoldMs, signUpRefusal } from '../../shared/volunteers/transitions';

/**
 * The rules of volunteering without a database (#17): sign-up refusals and resends, cancelling,
 * promotion and its offer window, a lapsed offer, finishing, and check-in/out — the windows to the
 * millisecond, the code, the minutes.
 */
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

describe('signing up', () => {
  const open: SeatState = { status: 'open', signupDeadline: startAt, confirmed: 3, capacity: 3, isMember: false, isWaiting: false };
  const code = (e: unknown) => (e as { code?: string } | null)?.code ?? null;

  it('refuses a missing, closed or cancelled activity, a passed deadline (to the millisecond) and a second sign-up; nothing else', () => {
    expect(code(signUpRefusal(null, '2026-11-30T00:00:00.000Z'))).toBe('ACTIVITY_NOT_FOUND');
    expect(code(signUpRefusal({ ...open, status: 'finished' }, '2026-11-30T00:00:00.000Z'))).toBe('ACTIVITY_CLOSED');
    expect(code(signUpRefusal({ ...open, status: 'cancelled' }, '2026-11-30T00:00:00.000Z'))).toBe('ACTIVITY_CLOSED');
    expect(signUpRefusal(open, '2026-12-01T00:59:59.999Z')).toBeNull();
    expect(code(signUpRefusal(open, startAt))).toBe('SIGNUP_CLOSED');
    expect(code(signUpRefusal({ ...open, isMember: true }, '2026-11-30T00:00:00.000Z'))).toBe('ALREADY_SIGNED_UP');
    expect(code(signUpRefusal({ ...open, isWaiting: true, waitPosition: 4 }, '2026-11-30T00:00:00.000Z'))).toBe('ALREADY_SIGNED_UP');
  });

  it('a resend confirms an offer, repairs a place held without its record, and otherwise refuses', () => {
    const header = { activityId: 'A1', title: '义诊', activityType: 'clinic', teamId: 'T01', startAt, endAt } as const;
    const now = '2026-11-30T02:00:00.000Z';
    const offered = { ...confirmed, status: 'offered', confirmBy: '2026-11-30T10:00:00.000Z' } as Signup;
    expect(decideResend({ ...open, isMember: true }, offered, header, 'volunteer-1', now)).toEqual({ kind: 'confirm', after: { ...offered, status: 'confirmed', confirmBy: undefined, updatedAt: now } });
    expect(decideResend({ ...open, isMember: true }, null, header, 'volunteer-1', now)).toEqual({
      kind: 'repair',
      after: { activityId: 'A1', userId: 'volunteer-1', activityTitle: '义诊', activityType: 'clinic', teamId: 'T01', startAt, endAt, status: 'confirmed', createdAt: now, updatedAt: now },
    });
    expect(decideResend({ ...open, isWaiting: true, waitPosition: 7 }, null, header, 'volunteer-1', now)).toMatchObject({ kind: 'repair', after: { status: 'waitlisted', position: 7 } });
    for (const status of ['confirmed', 'waitlisted'] as const) {
      const d = decideResend({ ...open, isMember: true }, { ...confirmed, status }, header, 'volunteer-1', now);
      expect(d.kind === 'refuse' && d.error.code).toBe('ALREADY_SIGNED_UP');
    }
  });
});

describe('cancelling', () => {
  const activity = { ...a, status: 'open', capacity: 2, confirmed: 2, members: {}, waitPos: {} } as Activity;

  it('gives back a seat (confirmed or offered) with the message that offers it on, or a place in line with none', () => {
    const now = at(startAt, -1);
    for (const status of ['confirmed', 'offered'] as const) {
      const d = decideCancel(activity, { ...confirmed, status, confirmBy: status === 'offered' ? startAt : undefined }, now);
      expect(d.gives).toBe('seat');
      expect(d.after).toMatchObject({ status: 'cancelled', confirmBy: undefined, position: undefined, updatedAt: '2026-12-01T00:59:59.999Z' });
      expect(d.offer).toMatchObject({ queue: 'signups', body: { activityId: 'A1' }, groupId: 'A1', dedupId: `A1-volunteer-1-${now.getTime()}` });
    }
    expect(decideCancel(activity, { ...confirmed, status: 'waitlisted', position: 3 }, now)).toMatchObject({ gives: 'place', offer: null, after: { status: 'cancelled', position: undefined } });
  });

  it('closes when the activity starts (to the millisecond); nothing to cancel is "not signed up"', () => {
    expect(() => decideCancel(activity, confirmed, at(startAt))).toThrow(expect.objectContaining({ code: 'ACTIVITY_STARTED' }));
    for (const s of [null, { ...confirmed, status: 'cancelled' }, { ...confirmed, status: 'no_show' }] as (Signup | null)[]) {
      expect(() => decideCancel(activity, s, at(startAt, -1))).toThrow(expect.objectContaining({ code: 'SIGNUP_NOT_FOUND' }));
    }
    expect(() => decideCancel(null, confirmed, at(startAt, -1))).toThrow(expect.objectContaining({ code: 'SIGNUP_NOT_FOUND' }));
  });
});

describe('promotion from the waitlist', () => {
  const full = { ...a, title: '社区义诊', status: 'open', capacity: 2, confirmed: 1, members: { 'volunteer-9': startAt }, waitPos: { 'volunteer-5': 6, 'volunteer-3': 2, 'volunteer-4': 4 } } as unknown as Activity;

  it('offers the free seat to the lowest position, for 12 hours, and tells them', () => {
    const now = new Date('2026-11-29T01:00:00.000Z');
    const o = nextOffer(full, null, now)!;
    expect(o.userId).toBe('volunteer-3');
    expect(o.after).toMatchObject({ userId: 'volunteer-3', status: 'offered', confirmBy: new Date(now.getTime() + offerHoldMs).toISOString(), position: undefined });
    expect(o.notice).toMatchObject({ queue: 'notifications', body: { userId: 'volunteer-3', notificationId: `A1-offer-${now.getTime()}-volunteer-3`, template: 'signup_status' } });
    // The waiter's own record is kept (its creation time), only its status and window change.
    const record = { ...confirmed, userId: 'volunteer-3', status: 'waitlisted', position: 2, createdAt: '2026-11-20T00:00:00.000Z' } as Signup;
    expect(nextOffer(full, record, now)!.after).toMatchObject({ createdAt: '2026-11-20T00:00:00.000Z', status: 'offered', position: undefined });
  });

  it('never offers past an hour before the start', () => {
    const now = at(startAt, -3 * 3_600_000);
    expect(nextOffer(full, null, now)!.after.confirmBy).toBe('2026-12-01T00:00:00.000Z');
  });

  it('offers nothing when no seat is free, nobody waits, or the activity is not open', () => {
    const now = new Date('2026-11-29T01:00:00.000Z');
    expect(nextOffer({ ...full, confirmed: 2 }, null, now)).toBeNull();
    expect(nextOffer({ ...full, waitPos: {} }, null, now)).toBeNull();
    expect(nextOffer({ ...full, status: 'cancelled' }, null, now)).toBeNull();
  });

  it('an unconfirmed offer lapses; any other record stays', () => {
    const now = new Date('2026-11-30T10:00:00.000Z');
    expect(decideLapse({ ...confirmed, status: 'offered', confirmBy: '2026-11-30T09:00:00.000Z' } as Signup, now)).toMatchObject({ status: 'cancelled', confirmBy: undefined, updatedAt: now.toISOString() });
    for (const status of ['confirmed', 'waitlisted', 'cancelled', 'no_show'] as const) expect(decideLapse({ ...confirmed, status }, now)).toBeNull();
    expect(decideLapse(null, now)).toBeNull();
  });
});

describe('finishing an activity', () => {
  const openA = { ...a, status: 'open' } as Activity;
  const signups = [
    { ...confirmed, userId: 'v1', checkedInAt: startAt },
    { ...confirmed, userId: 'v2' },
    { ...confirmed, userId: 'v3', status: 'cancelled' },
    { ...confirmed, userId: 'v4', status: 'waitlisted' },
  ] as Signup[];

  it('at its end (not a millisecond before): held once, confirmed volunteers who never checked in are no-shows', () => {
    expect(decideFinish(openA, signups, at(endAt, -1))).toBeNull();
    const d = decideFinish(openA, signups, at(endAt))!;
    expect(d.noShows.map((s) => [s.userId, s.status, s.updatedAt])).toEqual([['v2', 'no_show', endAt]]);
    expect(d.delta!.updates.map((u) => [u.dimension, u.value, u.adds])).toEqual([
      ['ALL', 'all', { activitiesHeld: 1 }],
      ['TEAM', 'T01', { activitiesHeld: 1 }],
      ['TYPE', 'clinic', { activitiesHeld: 1 }],
    ]);
    expect(decideFinish({ ...openA, status: 'finished' }, signups, at(endAt))).toBeNull();
    expect(decideFinish({ ...openA, status: 'cancelled' }, signups, at(endAt))).toBeNull();
  });
});
