import { logger } from '../logger';
import { randomInt } from 'node:crypto';
import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { readableId } from '../ids';
import { links } from '../links';
import { businessMetrics, countEvent } from '../metrics';
import { notificationMessage } from '../notifications/notify';
import { enqueue, flushOutbox, newOutboxEntry, outboxPut, type OutboxEntry } from '../queue/messages';
import { deltaPuts, foldCounterDeltas } from '../stats/counters';
import { beijingTextFrom } from '../time';
import {
  activityView,
  signupStatusNames,
  type Activity,
  type ActivityInput,
  type ActivityType,
  type ActivityView,
  type Signup,
} from './model';
import {
  createActivity as insertActivity,
  getActivity,
  getActivityAndSignup,
  getSignup,
  getTeam,
  getVolunteerProfile,
  joinWaitlist,
  leaveWaitlist,
  listActivities,
  listExpiredOffers,
  listSignupsOfActivity,
  listSignupsOfVolunteer,
  commitSeatChange,
  promote,
  putSignup,
  recordCheckOut,
  releaseSeat,
  activityHeader,
  seatState,
  setActivityStatus,
  takeSeatRecorded,
  type ActivityIndex,
  type SeatState,
} from './repository';
import { decideCheck, volDelta } from './transitions';

const hour = 3600_000;
/** A promoted waiter has this long to confirm (never past an hour before the start). */
export const offerHoldMs = 12 * hour;

const signupView = (s: Signup) => ({ ...s, statusName: signupStatusNames[s.status] });

function tell(userId: string, a: Pick<Activity, 'activityId' | 'title' | 'startAt'>, status: string, id: string): OutboxEntry {
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

// --- activities ---------------------------------------------------------------------------------

export async function createActivity(p: Principal, input: ActivityInput, now = new Date()): Promise<ActivityView & { checkinCode: string }> {
  const teamId = hasRole(p, 'admin') ? input.teamId : p.teamId;
  if (!teamId) throw new BadRequestError('TEAM_REQUIRED', '请指定志愿服务队', [{ field: 'body.teamId', reason: 'required', message: '请指定服务队' }]);
  if (!hasRole(p, 'admin') && !(hasRole(p, 'volunteer_lead') && p.teamId === teamId)) throw new ForbiddenError('NOT_YOUR_TEAM', '只能为本队发布活动');
  const team = await getTeam(teamId);
  if (!team) throw new BadRequestError('TEAM_NOT_FOUND', '服务队不存在', [{ field: 'body.teamId', reason: 'not_found', message: '服务队不存在' }]);
  if (Date.parse(input.signupDeadline) <= now.getTime()) {
    throw new BadRequestError('SIGNUP_DEADLINE_PASSED', '报名截止时间必须晚于现在', [{ field: 'body.signupDeadline', reason: 'past', message: '报名截止时间已过' }]);
  }
  const { teamId: _t, type, ...fields } = input;
  const a: Activity = {
    ...fields,
    activityType: type,
    activityId: readableId('A', now),
    teamId,
    teamName: team.name,
    status: 'open',
    confirmed: 0,
    waitSeq: 0,
    members: {},
    waitPos: {},
    // Six digits: what the QR carries, and what an elderly volunteer types on a number pad when
    // the camera cannot read it. Guessing it still needs the activity and a confirmed seat.
    checkinCode: String(randomInt(0, 1_000_000)).padStart(6, '0'),
    createdBy: p.userId,
    createdAt: now.toISOString(),
    version: 1,
  };
  await insertActivity(a);
  return { ...activityView(a), checkinCode: a.checkinCode };
}

export interface ActivityQuery {
  type?: ActivityType;
  teamId?: string;
  /** yyyy-mm-dd (Beijing): activities on that day; otherwise upcoming from now. */
  date?: string;
  limit: number;
  cursor?: string;
}

/** Upcoming first: one Query on the index that matches the filter (all, by team, by type). */
export async function listUpcoming(q: ActivityQuery, now = new Date()) {
  const where: ActivityIndex = q.teamId
    ? { index: 'byScope', pk: `ACTS#TEAM#${q.teamId}` }
    : q.type
      ? { index: 'byLookup', pk: `ACTS#TYPE#${q.type}` }
      : { index: 'byFeed', pk: 'ACTS#ALL' };
  const from = q.date ? new Date(`${q.date}T00:00:00+08:00`).toISOString() : now.toISOString();
  const to = q.date ? new Date(Date.parse(from) + 24 * hour).toISOString() : undefined;
  const page = await listActivities(where, from, to && `${to}~`, q.limit, q.cursor);
  return { items: page.items.map(activityView), nextCursor: page.nextCursor };
}

export async function activityDetail(activityId: string, p?: Principal): Promise<ActivityView> {
  const { activity: a, signup } = p ? await getActivityAndSignup(activityId, p.userId) : { activity: await getActivity(activityId), signup: null };
  if (!a) throw new NotFoundError('ACTIVITY_NOT_FOUND', '没有找到这个活动');
  const view: ActivityView = activityView(a);
  if (p) {
    view.myStatus = signup?.status ?? null;
    view.myCheckedInAt = signup?.checkedInAt ?? null;
    view.myCheckedOutAt = signup?.checkedOutAt ?? null;
    view.myMinutes = signup?.minutes ?? null;
    const myPos = a.waitPos?.[p.userId];
    view.myWaitlistRank = myPos === undefined ? null : Object.values(a.waitPos).filter((x) => x < myPos).length + 1;
    if ((hasRole(p, 'volunteer_lead') && p.teamId === a.teamId) || hasRole(p, 'admin')) view.checkinCode = a.checkinCode;
  }
  return view;
}

// --- sign-up and cancellation ---------------------------------------------------------------------

function refusal(state: SeatState | null, now: string): ConflictError | NotFoundError | null {
  if (!state) return new NotFoundError('ACTIVITY_NOT_FOUND', '没有找到这个活动');
  if (state.status !== 'open') return new ConflictError('ACTIVITY_CLOSED', '活动已结束或已取消');
  if (Date.parse(state.signupDeadline) <= Date.parse(now)) return new ConflictError('SIGNUP_CLOSED', '报名已截止');
  if (state.isMember || state.isWaiting) return new ConflictError('ALREADY_SIGNED_UP', '您已经报名了这个活动');
  return null;
}

/**
 * Activities this process last found full: a waiter goes straight to the line instead of first
 * trying a seat transaction that must fail. Only a hint — the conditions decide, and a refused
 * place in line (a seat was freed) clears it.
 */
const seenFull = new Set<string>();

/** An activity's fixed fields, cached per process: sign-up records copy them. */
const headers = new Map<string, Promise<Awaited<ReturnType<typeof activityHeader>>>>();
function headerOf(activityId: string) {
  let h = headers.get(activityId);
  if (!h) {
    h = activityHeader(activityId);
    headers.set(activityId, h);
    h.then((v) => !v && headers.delete(activityId)).catch(() => headers.delete(activityId));
  }
  return h;
}

/**
 * Signs up: a seat if one is left, else a place on the waitlist. Each step is one conditional
 * update of the activity item, so capacity is never exceeded and nobody is in twice, however
 * many phones press at once. A seat offered from the waitlist is confirmed by signing up again.
 */
export async function signUp(p: Principal, activityId: string, now = new Date()) {
  const at = now.toISOString();
  const header = await headerOf(activityId);
  for (let attempt = 0; attempt < 5; attempt++) {
    // A seat and its record in one commit.
    const seat = header ? newSignup(header, p.userId, 'confirmed', at) : null;
    if (seat && !seenFull.has(activityId) && (await takeSeatRecorded(seat)).ok) {
      countEvent(businessMetrics.signUp);
      return signupView(seat);
    }
    // A place in line and then its record (its position comes from the update itself; a crash in
    // between is repaired by the phone's resend, see confirmOfferOrRefuse).
    const wait = await joinWaitlist(activityId, p.userId, at);
    if (wait.ok) seenFull.add(activityId);
    else seenFull.delete(activityId);
    if (wait.ok) {
      const s = { ...newSignup(header!, p.userId, 'waitlisted', at), position: wait.value! };
      await putSignup(s);
      countEvent(businessMetrics.signUp);
      return signupView(s);
    }
    const state = await seatState(activityId, p.userId);
    const why = refusal(state, at);
    if (why) {
      if (why instanceof ConflictError && why.code === 'ALREADY_SIGNED_UP') return confirmOfferOrRefuse(p.userId, activityId, at, why, state!);
      throw why;
    }
    // A seat was freed between the two steps: try for it again.
  }
  throw new ConflictError('BUSY', '报名人数太多，请稍后再试');
}

async function confirmOfferOrRefuse(userId: string, activityId: string, at: string, refusalError: ConflictError, state: SeatState) {
  const s = await getSignup(activityId, userId);
  if (!s) {
    // The seat (or the place in line) was taken but its record never written: the process died
    // between the two writes. The phone resends; the record is written now from the activity item,
    // which holds the truth, and the sign-up is answered as it stands — never lost for good.
    const repaired = { ...newSignup((await headerOf(activityId))!, userId, state.isMember ? 'confirmed' : 'waitlisted', at), ...(state.waitPosition !== undefined ? { position: state.waitPosition } : {}) };
    await putSignup(repaired);
    logger.warn('sign-up record repaired from the activity', { activityId, status: repaired.status });
    return signupView(repaired);
  }
  if (s?.status === 'offered') {
    const confirmed: Signup = { ...s, status: 'confirmed', confirmBy: undefined, updatedAt: at };
    await putSignup(confirmed);
    return signupView(confirmed);
  }
  throw refusalError;
}

function newSignup(a: Pick<Activity, 'activityId' | 'title' | 'activityType' | 'teamId' | 'startAt' | 'endAt'>, userId: string, status: Signup['status'], at: string): Signup {
  return {
    activityId: a.activityId,
    userId,
    activityTitle: a.title,
    activityType: a.activityType,
    teamId: a.teamId,
    startAt: a.startAt,
    endAt: a.endAt,
    status,
    createdAt: at,
    updatedAt: at,
  };
}

export async function cancelSignup(p: Principal, activityId: string, now = new Date()) {
  const at = now.toISOString();
  const { activity: a, signup: s } = await getActivityAndSignup(activityId, p.userId);
  if (!a || !s || s.status === 'cancelled' || s.status === 'no_show') throw new NotFoundError('SIGNUP_NOT_FOUND', '您没有报名这个活动');
  if (Date.parse(a.startAt) <= now.getTime()) throw new ConflictError('ACTIVITY_STARTED', '活动已经开始，不能取消');
  const cancelled: Signup = { ...s, status: 'cancelled', position: undefined, confirmBy: undefined, updatedAt: at };
  // The place given back, the record and (for a seat) the message that offers it to the first
  // waiter through the activity's FIFO group: one commit.
  const freed = s.status === 'waitlisted' ? [] : [newOutboxEntry({ queue: 'signups', body: { activityId }, groupId: activityId, dedupId: `${activityId}-${p.userId}-${now.getTime()}` })];
  const place = s.status === 'waitlisted' ? leaveWaitlist(activityId, p.userId) : releaseSeat(activityId, p.userId);
  if (await commitSeatChange(place, cancelled, freed.map(outboxPut))) await flushOutbox(freed);
  // No place to give back (an earlier cancel committed it, or it was never taken): the record alone.
  else await putSignup(cancelled);
  return signupView(cancelled);
}

/**
 * signups.fifo consumer: fills free seats from the waitlist, lowest position first, each one
 * offered with a confirm-by time and told. Safe to repeat: a seat already filled, or a waiter
 * already promoted, fails its condition and is skipped.
 */
export async function promoteWaiters(activityId: string, now = new Date()): Promise<string[]> {
  const promoted: string[] = [];
  const at = now.toISOString();
  for (let guard = 0; guard < 1000; guard++) {
    const a = await getActivity(activityId, true);
    if (!a || a.status !== 'open' || a.confirmed >= a.capacity) break;
    const next = Object.entries(a.waitPos ?? {}).sort(([, x], [, y]) => x - y)[0];
    if (!next) break;
    const [userId] = next;
    const confirmBy = new Date(Math.min(now.getTime() + offerHoldMs, Date.parse(a.startAt) - hour)).toISOString();
    const s = (await getSignup(activityId, userId)) ?? newSignup(a, userId, 'waitlisted', at);
    const notice = tell(userId, a, `候补转正，请在${beijingTextFrom(now, confirmBy)}前确认`, `offer-${now.getTime()}`);
    // The seat, the offer and the message that tells of it: one commit (a crash can no longer
    // leave a seat held by someone who was never told).
    if (!(await commitSeatChange(promote(activityId, userId, at), { ...s, status: 'offered', confirmBy, position: undefined, updatedAt: at }, [outboxPut(notice)]))) continue;
    await flushOutbox([notice]);
    promoted.push(userId);
  }
  return promoted;
}

// --- check-in, check-out and hours -------------------------------------------------------------

export async function checkIn(p: Principal, activityId: string, code: string, kind: 'in' | 'out', now = new Date()) {
  const { activity: a, signup: s } = await getActivityAndSignup(activityId, p.userId);
  if (!a) throw new NotFoundError('ACTIVITY_NOT_FOUND', '没有找到这个活动');
  const d = decideCheck(a, s, code, kind, now);
  if (d.kind === 'unchanged') return signupView(d.signup);
  if (d.kind === 'in') {
    await putSignup(d.after);
    return signupView(d.after);
  }
  // The record, the volunteer's total and the figures in one commit. Two taps at once: one
  // check-out counts; the other reads it back.
  if (!(await recordCheckOut(d.after, d.minutes, deltaPuts(d.delta)))) return signupView((await getSignup(activityId, p.userId)) ?? d.after);
  await foldCounterDeltas([d.delta]);
  return signupView(d.after);
}

export async function mySignups(p: Principal, limit: number, cursor?: string) {
  const page = await listSignupsOfVolunteer(p.userId, limit, cursor);
  return { items: page.items.map(signupView), nextCursor: page.nextCursor };
}

export async function myHours(p: Principal) {
  const profile = await getVolunteerProfile(p.userId);
  const name = profile.name ?? '志愿者';
  const totalMinutes = profile.totalMinutes;
  const hours = Math.round((totalMinutes / 60) * 10) / 10;
  return {
    userId: p.userId,
    totalMinutes,
    totalHours: hours,
    activities: profile.activities,
    certificate: `兹证明 ${name} 同志在新城街道志愿服务中累计参加志愿服务 ${profile.activities} 次，服务时长 ${hours} 小时。特发此证，以资鼓励。`,
  };
}

// --- schedule: reminders, offer expiry, finishing ---------------------------------------------

/**
 * Hourly: reminds confirmed volunteers of tomorrow's activities (one hour's slice of starts, so
 * each activity is reminded once; notification ids make a repeated run harmless), passes unconfirmed
 * offers on, and closes finished activities, recording no-shows.
 */
export async function runVolunteerSchedule(now = new Date()) {
  const result = { reminded: 0, offersExpired: 0, finished: 0, noShows: 0 };
  const from = new Date(now.getTime() + 24 * hour).toISOString();
  const to = new Date(now.getTime() + 25 * hour).toISOString();
  const upcoming = await listActivities({ index: 'byFeed', pk: 'ACTS#ALL' }, from, to, 100);
  for (const a of upcoming.items) {
    if (a.status !== 'open') continue;
    const confirmed = (await listSignupsOfActivity(a.activityId)).filter((s) => s.status === 'confirmed');
    await enqueue(confirmed.map((s) => tell(s.userId, a, `${beijingTextFrom(now, a.startAt)} 在${a.place}`, 'reminder')));
    result.reminded += confirmed.length;
  }

  for (const offer of await listExpiredOffers(now.toISOString())) {
    const s = await getSignup(offer.activityId, offer.userId);
    if (s?.status !== 'offered') continue;
    const lapsed: Signup = { ...s, status: 'cancelled', confirmBy: undefined, updatedAt: now.toISOString() };
    if (!(await commitSeatChange(releaseSeat(offer.activityId, offer.userId), lapsed))) await putSignup(lapsed);
    await promoteWaiters(offer.activityId, now);
    result.offersExpired++;
  }

  const recent = await listActivities({ index: 'byFeed', pk: 'ACTS#ALL' }, new Date(now.getTime() - 7 * 24 * hour).toISOString(), now.toISOString(), 100);
  for (const a of recent.items) {
    if (a.status !== 'open' || Date.parse(a.endAt) > now.getTime()) continue;
    const delta = volDelta(a, { activitiesHeld: 1 });
    if (!(await setActivityStatus(a.activityId, 'finished', 'open', deltaPuts(delta)))) continue;
    await foldCounterDeltas([delta]);
    for (const s of await listSignupsOfActivity(a.activityId)) {
      if (s.status === 'confirmed' && !s.checkedInAt) {
        await putSignup({ ...s, status: 'no_show', updatedAt: now.toISOString() });
        result.noShows++;
      }
    }
    result.finished++;
  }
  return result;
}

