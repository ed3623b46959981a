import { randomInt } from 'node:crypto';

import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import { keys } from '../db/keys';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { readableId } from '../ids';
import { logger } from '../logger';
import { businessMetrics, countEvent } from '../metrics';
import { enqueue, flushOutbox, outboxPut } from '../queue/messages';
import { deltaPuts, foldCounterDeltas } from '../stats/counters';
import { beijingTextFrom } from '../time';
import { type Activity, type ActivityInput, type ActivityType, type ActivityView, activityView, type Signup,signupStatusNames } from './model';
import {
  activityHeader,
  type ActivityIndex,
  commitSeatChange,
  createActivity as insertActivity,
  getActivity,
  getActivityAndSignup,
  getSignup,
  getTeam,
  getVolunteerProfile,
  joinWaitlistRecorded,
  leaveWaitlist,
  listActivities,
  listExpiredOffers,
  listSignupsOfActivity,
  listSignupsOfVolunteer,
  promote,
  putSignup,
  recordCheckOut,
  releaseSeat,
  type SeatState,
  seatState,
  setActivityStatus,
  takeSeatRecorded,
  waitPosition,
} from './repository';
import { decideCancel, decideCheck, decideFinish, decideLapse, decideResend, hasEnded, newSignup, nextOffer, nextToPromote, signUpRefusal, volunteerNotice } from './transitions';

const hour = 3600_000;

const signupView = (s: Signup) => ({ ...s, statusName: signupStatusNames[s.status] });

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
    ? { index: 'byScope', pk: keys.activityByTeamPartition(q.teamId) }
    : q.type
      ? { index: 'byLookup', pk: keys.activityByTypePartition(q.type) }
      : { index: 'byFeed', pk: keys.activityFeedPartition };
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
 * Signs up: a seat if one is left, else a place on the waitlist — each, with its record, one
 * transaction conditional on the activity item, so capacity is never exceeded, nobody is in twice
 * however many phones press at once, and a crash leaves both or neither. A seat offered from the
 * waitlist is confirmed by signing up again.
 */
export async function signUp(p: Principal, activityId: string, now = new Date()) {
  const at = now.toISOString();
  const header = await headerOf(activityId);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (header && !seenFull.has(activityId)) {
      const seat = newSignup(header, p.userId, 'confirmed', at);
      if (await takeSeatRecorded(seat)) {
        countEvent(businessMetrics.signUp);
        return signupView(seat);
      }
    }
    if (header) {
      const waiting = newSignup(header, p.userId, 'waitlisted', at);
      const joined = await joinWaitlistRecorded(waiting);
      if (joined) seenFull.add(activityId);
      else seenFull.delete(activityId);
      if (joined) {
        countEvent(businessMetrics.signUp);
        return signupView({ ...waiting, position: (await waitPosition(activityId, p.userId)) ?? undefined });
      }
    }
    const state = await seatState(activityId, p.userId);
    const why = signUpRefusal(state, at);
    if (why instanceof ConflictError && why.code === 'ALREADY_SIGNED_UP') return resend(state!, activityId, p.userId, at);
    if (why) throw why;
    // A seat was freed between the two tries: try for it again.
  }
  throw new ConflictError('BUSY', '报名人数太多，请稍后再试');
}

async function resend(state: SeatState, activityId: string, userId: string, at: string) {
  const d = decideResend(state, await getSignup(activityId, userId), (await headerOf(activityId))!, userId, at);
  if (d.kind === 'refuse') throw d.error;
  // A repair: the place was held without its record (taken before sign-up was one commit, by a
  // process that died between the two writes); the activity item holds the truth.
  if (d.kind === 'repair') logger.warn('sign-up record repaired from the activity', { activityId, status: d.after.status });
  await putSignup(d.after);
  return signupView(d.after);
}

export async function cancelSignup(p: Principal, activityId: string, now = new Date()) {
  const { activity, signup } = await getActivityAndSignup(activityId, p.userId);
  const d = decideCancel(activity, signup, now);
  // The place given back, the record and (for a seat) the message that offers it: one commit.
  const place = d.gives === 'place' ? leaveWaitlist(activityId, p.userId) : releaseSeat(activityId, p.userId);
  const offer = d.offer ? [d.offer] : [];
  if (await commitSeatChange(place, d.after, offer.map(outboxPut))) await flushOutbox(offer);
  // No place to give back (an earlier cancel committed it, or it was never taken): the record alone.
  else await putSignup(d.after);
  return signupView(d.after);
}

/**
 * signups.fifo consumer: fills free seats from the waitlist, lowest position first, each one
 * offered with a confirm-by time and told. Safe to repeat: a seat already filled, or a waiter
 * already promoted, fails its condition and is skipped.
 */
export async function promoteWaiters(activityId: string, now = new Date()): Promise<string[]> {
  const promoted: string[] = [];
  for (let guard = 0; guard < 1000; guard++) {
    const a = await getActivity(activityId, true);
    const userId = a && nextToPromote(a);
    if (!userId) break;
    const offer = nextOffer(a, await getSignup(activityId, userId), now)!;
    // The seat, the offer and the message that tells of it: one commit (a crash cannot leave a
    // seat held by someone who was never told).
    if (!(await commitSeatChange(promote(activityId, offer.userId, now.toISOString()), offer.after, [outboxPut(offer.notice)]))) continue;
    await flushOutbox([offer.notice]);
    promoted.push(offer.userId);
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
  const upcoming = await listActivities({ index: 'byFeed', pk: keys.activityFeedPartition }, from, to, 100);
  for (const a of upcoming.items) {
    if (a.status !== 'open') continue;
    const confirmed = (await listSignupsOfActivity(a.activityId)).filter((s) => s.status === 'confirmed');
    await enqueue(confirmed.map((s) => volunteerNotice(s.userId, a, `${beijingTextFrom(now, a.startAt)} 在${a.place}`, 'reminder')));
    result.reminded += confirmed.length;
  }

  for (const offer of await listExpiredOffers(now.toISOString())) {
    const lapsed = decideLapse(await getSignup(offer.activityId, offer.userId), now);
    if (!lapsed) continue;
    if (!(await commitSeatChange(releaseSeat(offer.activityId, offer.userId), lapsed))) await putSignup(lapsed);
    await promoteWaiters(offer.activityId, now);
    result.offersExpired++;
  }

  const recent = await listActivities({ index: 'byFeed', pk: keys.activityFeedPartition }, new Date(now.getTime() - 7 * 24 * hour).toISOString(), now.toISOString(), 100);
  for (const a of recent.items.filter((x) => hasEnded(x, now))) {
    const d = decideFinish(a, await listSignupsOfActivity(a.activityId), now)!;
    if (!(await setActivityStatus(a.activityId, 'finished', 'open', deltaPuts(d.delta)))) continue;
    await foldCounterDeltas([d.delta]);
    for (const noShow of d.noShows) await putSignup(noShow);
    result.noShows += d.noShows.length;
    result.finished++;
  }
  return result;
}

