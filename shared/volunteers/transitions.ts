import { BadRequestError, ConflictError } from '../errors';
import { counterDelta, monthOf, type CounterDelta } from '../stats/counters';
import type { Activity, Signup } from './model';

/**
 * The rules of checking in and out of an activity, pure (unit-tested without a database in
 * tests/unit/volunteer-transitions.test.ts): the use-case loads, decides here, then commits.
 */

/** Check-in opens this long before the start; check-out closes this long after the end. */
export const checkinEarlyMs = 30 * 60_000;
export const checkoutLateMs = 2 * 3_600_000;

/** What a change adds to the volunteer figures (overall, by team, by type), committed with the change. */
export function volDelta(a: Pick<Activity, 'teamId' | 'activityType' | 'startAt'>, adds: Record<string, number>): CounterDelta | null {
  const period = monthOf(a.startAt);
  return counterDelta([
    { domain: 'VOL', period, dimension: 'ALL', value: 'all', adds },
    { domain: 'VOL', period, dimension: 'TEAM', value: a.teamId, adds },
    { domain: 'VOL', period, dimension: 'TYPE', value: a.activityType, adds },
  ]);
}


export type CheckDecision =
  | { kind: 'unchanged'; signup: Signup }
  | { kind: 'in'; after: Signup }
  | { kind: 'out'; after: Signup; minutes: number; delta: CounterDelta | null };

/**
 * Check-in with the code shown on site, from 30 minutes before the start to the end; check-out
 * after a check-in, until two hours after the end. Service time counts within the activity's own
 * window. A repeated check-in or check-out changes nothing.
 */
export function decideCheck(a: Activity, s: Signup | null, code: string, kind: 'in' | 'out', now: Date): CheckDecision {
  if (code.toUpperCase() !== a.checkinCode) throw new BadRequestError('WRONG_CHECKIN_CODE', '签到码不正确，请扫描现场的二维码', [{ field: 'body.code', reason: 'mismatch', message: '签到码不正确' }]);
  if (!s || s.status !== 'confirmed') throw new ConflictError('NOT_CONFIRMED', '您没有这个活动的正式名额');
  const at = now.toISOString();
  const start = Date.parse(a.startAt);
  const end = Date.parse(a.endAt);
  if (kind === 'in') {
    if (now.getTime() < start - checkinEarlyMs || now.getTime() > end) throw new ConflictError('OUTSIDE_CHECKIN_WINDOW', '不在签到时间内（开始前 30 分钟至结束）');
    if (s.checkedInAt) return { kind: 'unchanged', signup: s };
    return { kind: 'in', after: { ...s, checkedInAt: at, updatedAt: at } };
  }
  if (!s.checkedInAt) throw new ConflictError('NOT_CHECKED_IN', '请先签到');
  if (s.checkedOutAt) return { kind: 'unchanged', signup: s };
  if (now.getTime() > end + checkoutLateMs) throw new ConflictError('OUTSIDE_CHECKOUT_WINDOW', '已超过签退时间，请联系队长补登');
  const from = Math.max(Date.parse(s.checkedInAt), start);
  const to = Math.min(now.getTime(), end);
  const minutes = Math.max(0, Math.round((to - from) / 60_000));
  return { kind: 'out', after: { ...s, checkedOutAt: at, minutes, updatedAt: at }, minutes, delta: volDelta(a, { personTimes: 1, volunteerMinutes: minutes }) };
}
