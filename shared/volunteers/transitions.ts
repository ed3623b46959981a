import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import { links } from '../links';
import { notificationMessage } from '../notifications/notify';
import { newOutboxEntry, type OutboxEntry } from '../queue/messages';
import { type CounterDelta,counterDelta, monthOf } from '../stats/counters';
import { beijingTextFrom } from '../time';
import type { Activity, Signup } from './model';
import type { SeatState } from './repository';

/**
 * The rules of volunteering, pure (unit-tested without a database in
 * tests/unit/volunteer-transitions.test.ts): signing up, a resend, cancelling, promotion from the
 * waitlist, a lapsed offer, finishing an activity, checking in and out. The use-case loads, decides
 * here, then commits (the seat and its record in one transaction, see commitSeatChange).
 */

const hour = 3_600_000;
/** A promoted waiter has this long to confirm (never past an hour before the start). */
export const offerHoldMs = 12 * hour;

type Header = Pick<Activity, 'activityId' | 'title' | 'activityType' | 'teamId' | 'startAt' | 'endAt'>;

/** A volunteer's record of an activity, copying the activity's fixed fields. */
export function newSignup(a: Header, userId: string, status: Signup['status'], at: string): Signup {
  return { activityId: a.activityId, userId, activityTitle: a.title, activityType: a.activityType, teamId: a.teamId, startAt: a.startAt, endAt: a.endAt, status, createdAt: at, updatedAt: at };
}

/** A notice to a volunteer about an activity (a reminder, or a change of their sign-up). */
export function volunteerNotice(userId: string, a: Pick<Activity, 'activityId' | 'title' | 'startAt'>, status: string, id: string): OutboxEntry {
  return newOutboxEntry(
    notificationMessage({
      notificationId: `${a.activityId}-${id}-${userId}`,
      userId,
      template: id === 'reminder' ? 'activity_reminder' : 'signup_status',
      data: { activity: a.title.slice(0, 20), status, startAt: a.startAt },
      page: links.activity(a.activityId),
    }),
  );
}

// --- sign-up ------------------------------------------------------------------------------------

/**
 * Why a volunteer may not sign up now, judged from the activity's seat fields after the seat and
 * the line both refused them; null when nothing stands in the way (a seat was freed between the
 * two tries: try again).
 */
export function signUpRefusal(state: SeatState | null, at: string): ConflictError | NotFoundError | null {
  if (!state) return new NotFoundError('ACTIVITY_NOT_FOUND', '没有找到这个活动');
  if (state.status !== 'open') return new ConflictError('ACTIVITY_CLOSED', '活动已结束或已取消');
  if (Date.parse(state.signupDeadline) <= Date.parse(at)) return new ConflictError('SIGNUP_CLOSED', '报名已截止');
  if (state.isMember || state.isWaiting) return new ConflictError('ALREADY_SIGNED_UP', '您已经报名了这个活动');
  return null;
}

export type ResendDecision =
  /** The seat (or place in line) is held but its record was never written (a crash before sign-up became one commit): write it. */
  | { kind: 'repair'; after: Signup }
  /** An offered seat, confirmed by signing up again. */
  | { kind: 'confirm'; after: Signup }
  | { kind: 'refuse'; error: ConflictError };

/** A sign-up by someone who already holds a seat or a place in line. */
export function decideResend(state: SeatState, record: Signup | null, header: Header, userId: string, at: string): ResendDecision {
  if (!record) {
    const after = newSignup(header, userId, state.isMember ? 'confirmed' : 'waitlisted', at);
    return { kind: 'repair', after: state.waitPosition !== undefined ? { ...after, position: state.waitPosition } : after };
  }
  if (record.status === 'offered') return { kind: 'confirm', after: { ...record, status: 'confirmed', confirmBy: undefined, updatedAt: at } };
  return { kind: 'refuse', error: new ConflictError('ALREADY_SIGNED_UP', '您已经报名了这个活动') };
}

// --- cancelling, promotion, a lapsed offer, finishing -------------------------------------------

export interface CancelDecision {
  after: Signup;
  /** What is given back on the activity: a seat (confirmed or offered) or a place in line. */
  gives: 'seat' | 'place';
  /** For a seat: the signups message that offers it to the first waiter (through the activity's FIFO group). */
  offer: OutboxEntry | null;
}

/** A volunteer cancels, until the activity starts. */
export function decideCancel(a: Activity | null, s: Signup | null, now: Date): CancelDecision {
  if (!a || !s || s.status === 'cancelled' || s.status === 'no_show') throw new NotFoundError('SIGNUP_NOT_FOUND', '您没有报名这个活动');
  if (Date.parse(a.startAt) <= now.getTime()) throw new ConflictError('ACTIVITY_STARTED', '活动已经开始，不能取消');
  const at = now.toISOString();
  const after: Signup = { ...s, status: 'cancelled', position: undefined, confirmBy: undefined, updatedAt: at };
  if (s.status === 'waitlisted') return { after, gives: 'place', offer: null };
  const offer = newOutboxEntry({ queue: 'signups', body: { activityId: a.activityId }, groupId: a.activityId, dedupId: `${a.activityId}-${s.userId}-${now.getTime()}` });
  return { after, gives: 'seat', offer };
}

export interface Offer {
  userId: string;
  after: Signup;
  notice: OutboxEntry;
}

/**
 * The next promotion from the waitlist: the lowest position gets the free seat, offered until
 * 12 hours from now but never later than an hour before the start, and is told. Null when the
 * activity is not open, has no free seat or nobody waits.
 */
export function nextOffer(a: Activity, record: Signup | null, now: Date): Offer | null {
  const userId = nextToPromote(a);
  if (!userId) return null;
  const at = now.toISOString();
  const confirmBy = new Date(Math.min(now.getTime() + offerHoldMs, Date.parse(a.startAt) - hour)).toISOString();
  const s = record ?? newSignup(a, userId, 'waitlisted', at);
  return {
    userId,
    after: { ...s, status: 'offered', confirmBy, position: undefined, updatedAt: at },
    notice: volunteerNotice(userId, a, `候补转正，请在${beijingTextFrom(now, confirmBy)}前确认`, `offer-${now.getTime()}`),
  };
}

/** Who gets the next free seat: the lowest position in line, while the activity is open and has a free seat. */
export function nextToPromote(a: Activity): string | null {
  if (a.status !== 'open' || a.confirmed >= a.capacity) return null;
  return Object.entries(a.waitPos ?? {}).sort(([, x], [, y]) => x - y)[0]?.[0] ?? null;
}

/** An open activity whose end has come: the hourly schedule finishes it. */
export const hasEnded = (a: Activity, now: Date) => a.status === 'open' && Date.parse(a.endAt) <= now.getTime();

/** An offer not confirmed in time lapses (the seat goes to the next waiter); anything else stays. */
export function decideLapse(s: Signup | null, now: Date): Signup | null {
  if (s?.status !== 'offered') return null;
  return { ...s, status: 'cancelled', confirmBy: undefined, updatedAt: now.toISOString() };
}

/**
 * An open activity that has ended is finished: it counts as held, and every confirmed volunteer
 * who never checked in is recorded as a no-show. Null while it is still running or already closed.
 */
export function decideFinish(a: Activity, signups: Signup[], now: Date): { delta: CounterDelta | null; noShows: Signup[] } | null {
  if (!hasEnded(a, now)) return null;
  const at = now.toISOString();
  return {
    delta: volDelta(a, { activitiesHeld: 1 }),
    noShows: signups.filter((s) => s.status === 'confirmed' && !s.checkedInAt).map((s) => ({ ...s, status: 'no_show', updatedAt: at })),
  };
}

// --- check-in and check-out ---------------------------------------------------------------------

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
