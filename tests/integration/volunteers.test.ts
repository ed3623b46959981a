import { beforeAll, describe, expect, it } from 'vitest';

import { seedDemoData } from '../../infra/local/seed';
import type { Principal } from '../../shared/auth/principal';
import { issueToken } from '../../shared/auth/tokens';
import { checkIn, createActivity, myHours, runVolunteerSchedule, signUp } from '../../shared/volunteers/use-cases';
import { activityInput } from '../fixtures/activities';
import { tokenAs } from '../fixtures/principals';
import { notificationsOf } from '../fixtures/requests';
import { useTestStack } from '../support/stack';
import { waitFor } from '../support/wait';

const t = useTestStack({ workers: true, visibilityTimeoutSeconds: 2 });
const call = t.call;
const admin: Principal = { userId: 'admin-1', roles: ['admin'] };
const volunteer = (i: number): Principal => ({ userId: `vol-${i}`, roles: ['volunteer'] });
const tokenOf = async (i: number) => (await issueToken(volunteer(i))).token;
let lead = '';

beforeAll(async () => {
  await seedDemoData();
  lead = await tokenAs('volunteer_lead', 'lead-T01');
});

describe('sign-up under concurrency', () => {
  it('1,000 concurrent sign-ups for 50 seats: exactly 50 confirmed, 950 waitlisted at positions 1..950', async () => {
    const a = await createActivity(admin, activityInput({ capacity: 50 }));
    const tokens = await Promise.all(Array.from({ length: 1000 }, (_, i) => tokenOf(i)));
    const results = await Promise.all(tokens.map((token) => call('POST', `/v1/activities/${a.activityId}/signups`, { token })));
    expect(results.filter((r) => r.status !== 201).map((r) => JSON.stringify(r.body))).toEqual([]);
    const confirmed = results.filter((r) => r.body.status === 'confirmed');
    const waitlisted = results.filter((r) => r.body.status === 'waitlisted');
    expect(confirmed).toHaveLength(50);
    expect(waitlisted).toHaveLength(950);
    expect(waitlisted.map((r) => r.body.position).sort((x: number, y: number) => x - y)).toEqual(Array.from({ length: 950 }, (_, i) => i + 1));
    const detail = await call('GET', `/v1/activities/${a.activityId}`);
    expect(detail.body).toMatchObject({ capacity: 50, seatsLeft: 0, waitlisted: 950 });
  });

  it('the same volunteer signing up 20 times at once gets one sign-up', async () => {
    const a = await createActivity(admin, activityInput({ capacity: 5 }));
    const token = await tokenOf(5000);
    const results = await Promise.all(Array.from({ length: 20 }, () => call('POST', `/v1/activities/${a.activityId}/signups`, { token })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(results.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.body.error.code}`))).toEqual(new Set(['409 ALREADY_SIGNED_UP']));
    const detail = await call('GET', `/v1/activities/${a.activityId}`, { token });
    expect(detail.body).toMatchObject({ seatsLeft: 4, waitlisted: 0, myStatus: 'confirmed' });
  });
});

describe('cancellation and the waitlist', () => {
  it('10 cancellations promote the first 10 waitlisted, in order, and tell them', async () => {
    const a = await createActivity(admin, activityInput({ capacity: 10 }));
    const tokens = await Promise.all(Array.from({ length: 25 }, (_, i) => tokenOf(6000 + i)));
    // One at a time, so that who is where on the waitlist is known.
    for (const token of tokens) expect((await call('POST', `/v1/activities/${a.activityId}/signups`, { token })).status).toBe(201);
    for (let i = 0; i < 10; i++) {
      const res = await call('DELETE', `/v1/activities/${a.activityId}/signups/me`, { token: tokens[i] });
      expect(res.body.status).toBe('cancelled');
    }
    const offered = await waitFor(async () => {
      const statuses = await Promise.all(tokens.slice(10).map(async (token) => (await call('GET', `/v1/activities/${a.activityId}`, { token })).body.myStatus));
      return statuses.filter((s) => s === 'offered').length === 10 ? statuses : undefined;
    }, 20_000, 'promotions');
    // Waitlist positions 1..10 are the sign-ups 11..20.
    expect(offered).toEqual([...Array(10).fill('offered'), ...Array(5).fill('waitlisted')]);
    const rank = await call('GET', `/v1/activities/${a.activityId}`, { token: tokens[20] });
    expect(rank.body).toMatchObject({ seatsLeft: 0, waitlisted: 5, myWaitlistRank: 1 });
    await waitFor(async () => (await notificationsOf('vol-6010')).find((n) => n.template === 'signup_status'), 10_000, 'promotion told');
    // Signing up again confirms an offered seat.
    expect((await call('POST', `/v1/activities/${a.activityId}/signups`, { token: tokens[10] })).body.status).toBe('confirmed');
  });

  it('passes an unconfirmed offer to the next waiter when it expires', async () => {
    const a = await createActivity(admin, activityInput({ capacity: 1 }, 72));
    const [p1, p2, p3] = [volunteer(7001), volunteer(7002), volunteer(7003)];
    await signUp(p1, a.activityId);
    await signUp(p2, a.activityId);
    await signUp(p3, a.activityId);
    await call('DELETE', `/v1/activities/${a.activityId}/signups/me`, { token: await tokenOf(7001) });
    await waitFor(async () => (await call('GET', `/v1/activities/${a.activityId}`, { token: await tokenOf(7002) })).body.myStatus === 'offered', 20_000, 'offer to 7002');
    const later = new Date(Date.now() + 13 * 3600_000);
    const r = await runVolunteerSchedule(later);
    // (Offers left over from the test above expire at the same time.)
    expect(r.offersExpired).toBeGreaterThanOrEqual(1);
    expect((await call('GET', `/v1/activities/${a.activityId}`, { token: await tokenOf(7002) })).body.myStatus).toBe('cancelled');
    expect((await call('GET', `/v1/activities/${a.activityId}`, { token: await tokenOf(7003) })).body.myStatus).toBe('offered');
  });
});

describe('rules of time', () => {
  it('refuses sign-ups after the deadline', async () => {
    const a = await createActivity(admin, activityInput({}, 48));
    await expect(signUp(volunteer(8000), a.activityId, new Date(Date.parse(a.signupDeadline) + 1000))).rejects.toMatchObject({ code: 'SIGNUP_CLOSED', status: 409 });
  });

  it('checks in and out within the window with the lead\'s code, and computes service hours', async () => {
    const a = await createActivity(admin, activityInput({}, 48));
    const v = volunteer(8100);
    await signUp(v, a.activityId);
    const start = Date.parse(a.startAt);
    const leadView = await call('GET', `/v1/activities/${a.activityId}`, { token: lead });
    const code = leadView.body.checkinCode as string;
    expect(code).toBe(a.checkinCode);
    expect((await call('GET', `/v1/activities/${a.activityId}`, { token: await tokenOf(8100) })).body.checkinCode).toBeUndefined();

    await expect(checkIn(v, a.activityId, code, 'in', new Date(start - 3600_000))).rejects.toMatchObject({ code: 'OUTSIDE_CHECKIN_WINDOW' });
    await expect(checkIn(v, a.activityId, 'WRONG1', 'in', new Date(start))).rejects.toMatchObject({ code: 'WRONG_CHECKIN_CODE', status: 400 });
    await expect(checkIn(v, a.activityId, code, 'out', new Date(start))).rejects.toMatchObject({ code: 'NOT_CHECKED_IN' });
    // Arrives 20 minutes early (counted from the start), leaves 2 h 15 min in.
    await checkIn(v, a.activityId, code, 'in', new Date(start - 20 * 60_000));
    const out = await checkIn(v, a.activityId, code, 'out', new Date(start + 135 * 60_000));
    expect(out.minutes).toBe(135);
    expect(await myHours(v)).toMatchObject({ totalMinutes: 135, totalHours: 2.3, activities: 1 });
    const hours = await call('GET', '/v1/me/volunteer-hours', { token: await tokenOf(8100) });
    expect(hours.body.certificate).toContain('服务时长 2.3 小时');
  });

  it('records a no-show when the activity finishes', async () => {
    const a = await createActivity(admin, activityInput({}, 2));
    await signUp(volunteer(8200), a.activityId);
    const r = await runVolunteerSchedule(new Date(Date.parse(a.endAt) + 60_000));
    expect(r.noShows).toBeGreaterThanOrEqual(1);
    const mine = await call('GET', '/v1/me/signups', { token: await tokenOf(8200) });
    expect(mine.body.items[0]).toMatchObject({ activityId: a.activityId, status: 'no_show', statusName: '未到场' });
  });
});

describe('GET /v1/activities', () => {
  it('lists upcoming activities soonest first, by team and by type, every item once across pages', async () => {
    const seen: string[] = [];
    const starts: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call('GET', `/v1/activities?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.items.map((x: { activityId: string }) => x.activityId));
      starts.push(...res.body.items.map((x: { startAt: string }) => x.startAt));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(24);
    expect(starts).toEqual([...starts].sort());
    const t3 = await call('GET', '/v1/activities?teamId=T03&limit=100');
    expect(t3.body.items.length).toBeGreaterThanOrEqual(3);
    expect(t3.body.items.every((x: { teamId: string }) => x.teamId === 'T03')).toBe(true);
    const care = await call('GET', '/v1/activities?type=elderly_care&limit=100');
    expect(care.body.items.every((x: { type: string }) => x.type === 'elderly_care')).toBe(true);
  });

  it('lets a lead create activities only for their own team', async () => {
    const own = await call('POST', '/v1/activities', { token: lead, body: activityInput({ teamId: undefined }) });
    expect(own.status).toBe(201);
    expect(own.body.teamId).toBe('T01');
    const bad = await call('POST', '/v1/activities', { token: lead, body: activityInput({ capacity: 0, endAt: '2020-01-01T00:00:00+08:00' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.capacity', 'body.endAt']);
  });
});
