import { beforeAll, describe, expect, it } from 'vitest';

import { seedDemoData } from '../../infra/local/seed';
import type { Principal } from '../../shared/auth/principal';
import { gridDetail, gridTiles, openRequests, overview, trends } from '../../shared/console/figures';
import { createConsoleLogin, loginTtlMs } from '../../shared/console/logins';
import { principalOf } from '../../shared/users/model';
import { getUser } from '../../shared/users/repository';
import { buildConsoleScenario, scenarioAnswers as answer } from '../fixtures/console-scenario';
import { tokenAs } from '../fixtures/principals';
import { useTestStack } from '../support/stack';

const { call } = useTestStack({ workers: false });
const who = async (userId: string): Promise<Principal> => principalOf((await getUser(userId))!);

// 2027-05-12 02:00 UTC = 10:00 Beijing: the scenario's requests are all of May and of the 12th.
const t0 = new Date('2027-05-12T02:00:00Z');
let observeAt: Date;
let ids: string[];

beforeAll(async () => {
  await seedDemoData(t0);
  ({ observeAt, ids } = await buildConsoleScenario(t0));
});

describe('console sign-in by scanning', () => {
  it('pending until a staff member approves, then the session exactly once', async () => {
    const created = await call('POST', '/v1/console/logins');
    expect(created.status).toBe(201);
    const { loginId, pollSecret, qrText } = created.body as { loginId: string; pollSecret: string; qrText: string };
    expect(qrText).toBe(`anzhi-console-login:${loginId}`);
    expect(loginId).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const pending = await call('POST', `/v1/console/logins/${loginId}/poll`, { body: { pollSecret } });
    expect(pending.status).toBe(200);
    expect(pending.body).toEqual({ status: 'pending', expiresAt: expect.any(String) });

    // Residents, volunteers and employers have no console.
    for (const role of ['resident', 'volunteer', 'employer', 'volunteer_lead'] as const) {
      const refused = await call('POST', `/v1/console/logins/${loginId}/approval`, { token: await tokenAs(role) });
      expect(refused.status, role).toBe(403);
    }
    // Without a token nobody approves.
    expect((await call('POST', `/v1/console/logins/${loginId}/approval`)).status).toBe(401);

    const approved = await call('POST', `/v1/console/logins/${loginId}/approval`, { token: await tokenAs('street_staff') });
    expect(approved.status).toBe(200);
    expect((await call('POST', `/v1/console/logins/${loginId}/approval`, { token: await tokenAs('street_staff') })).body.error.code).toBe('LOGIN_ALREADY_APPROVED');

    // A photo of the QR code is not enough: the poll secret never left the console.
    const stolen = await call('POST', `/v1/console/logins/${loginId}/poll`, { body: { pollSecret: 'x'.repeat(32) } });
    expect(stolen.status).toBe(401);
    expect(stolen.body.error.code).toBe('LOGIN_SECRET_INVALID');

    const session = await call('POST', `/v1/console/logins/${loginId}/poll`, { body: { pollSecret } });
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ status: 'approved', user: { userId: 'street-1', roles: ['street_staff'] } });
    const me = await call('GET', '/v1/me', { token: session.body.token as string });
    expect(me.body.userId).toBe('street-1');
    // The refresh token is a real session's.
    expect((await call('POST', '/v1/auth/refresh', { body: { refreshToken: session.body.refreshToken } })).status).toBe(200);

    const again = await call('POST', `/v1/console/logins/${loginId}/poll`, { body: { pollSecret } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('LOGIN_ALREADY_USED');
  });

  it('an expired code cannot be approved or collected', async () => {
    const old = await createConsoleLogin(new Date(Date.now() - loginTtlMs - 1000));
    const approve = await call('POST', `/v1/console/logins/${old.loginId}/approval`, { token: await tokenAs('grid_worker') });
    expect(approve.status).toBe(404);
    expect(approve.body.error.code).toBe('LOGIN_NOT_FOUND');
    const poll = await call('POST', `/v1/console/logins/${old.loginId}/poll`, { body: { pollSecret: old.pollSecret } });
    expect(poll.status).toBe(404);
    expect((await call('POST', '/v1/console/logins/not-a-login-id/poll', { body: { pollSecret: old.pollSecret } })).status).toBe(400);
  });
});

describe('figures of the known scenario', () => {
  it('the overview of community C01 has exactly the scenario\'s answers', async () => {
    const o = await overview(await who('street-1'), 'community:C01', observeAt);
    expect(o.scope).toEqual({ kind: 'community', id: 'C01', name: expect.any(String) });
    expect(o.month).toBe('2027-05');
    expect(o.requests).toMatchObject({ receivedToday: 40, resolvedToday: 15, open: answer.open, overdueOpen: answer.overdueOpen });
    expect(o.requests.month).toMatchObject({
      received: answer.received,
      resolvedOnTime: answer.resolvedOnTime,
      overdue: answer.overdue,
      onTimeRate: answer.onTimeRate,
      escalated: answer.escalated,
      settled: { grid: answer.settledGrid, community: 0, street: 0, legal: 0 },
      settledInGridShare: 1,
      settledInCommunityShare: 1,
      rated: answer.rated,
      ratingAverage: answer.ratingAverage,
      ratingHighShare: answer.ratingHighShare,
      accepted: 33, // A 12 + B 3 + D 2 + E 1 + F 15; C never
    });
  });

  it('the whole sub-district equals the community (nothing else happened), another community shows nothing', async () => {
    const street = await overview(await who('street-1'), undefined, observeAt);
    expect(street.scope.kind).toBe('street');
    expect(street.requests.open).toBe(answer.open);
    expect(street.requests.month.received).toBe(answer.received);
    const other = await overview(await who('street-1'), 'community:C02', observeAt);
    expect(other.requests).toMatchObject({ receivedToday: 0, open: 0, overdueOpen: 0 });
    expect(other.requests.month.onTimeRate).toBeNull();
  });

  it('the next Beijing day starts at 16:00 UTC: received today goes back to 0, the month stays', async () => {
    const lastMinute = await overview(await who('street-1'), 'community:C01', new Date('2027-05-12T15:59:00Z'));
    const nextDay = await overview(await who('street-1'), 'community:C01', new Date('2027-05-12T16:00:00Z'));
    expect(lastMinute.requests.receivedToday).toBe(40);
    expect(nextDay.today).toBe('2027-05-13');
    expect(nextDay.requests.receivedToday).toBe(0);
    expect(nextDay.requests.month.received).toBe(40);
    // The month ends at 16:00 UTC on its last day.
    const june = await overview(await who('street-1'), 'community:C01', new Date('2027-05-31T16:00:00Z'));
    expect(june.month).toBe('2027-06');
    expect(june.requests.month.received).toBe(0);
    expect(june.requests.open).toBe(answer.open);
  });

  it('grid tiles and the grid detail agree with the scenario per grid', async () => {
    const tiles = await gridTiles(await who('cs-C01'), undefined, observeAt);
    expect(tiles.communities.map((c) => c.communityId)).toEqual(['C01']);
    const byId = Object.fromEntries(tiles.communities[0]!.grids.map((g) => [g.gridId, g]));
    expect(Object.keys(byId)).toHaveLength(16);
    for (const [gridId, want] of Object.entries(answer.perGrid)) expect(byId[gridId], gridId).toMatchObject(want);
    expect(byId.G004).toMatchObject({ open: 0, overdueOpen: 0 });

    const g1 = await gridDetail(await who('cs-C01'), 'G001', observeAt);
    expect(g1).toMatchObject({ open: 9, overdueOpen: 3 });
    // At grid level now: F's five in progress with the full-time worker; C and E went up.
    expect(g1.workers.map((w) => [w.userId, w.backlog, w.overdue])).toEqual([
      ['gw-G001-ft', 5, 0],
      ['gw-G001-pt', 0, 0],
    ]);
  });

  it('the queue board lists the open requests in scope, the overdue first', async () => {
    const board = await openRequests(await who('street-1'), 'community:C01', observeAt);
    expect(board.items).toHaveLength(answer.open);
    expect(board.items.slice(0, 7).every((r) => r.overdue)).toBe(true);
    expect(board.items.filter((r) => r.overdue)).toHaveLength(answer.overdueOpen);
    expect(new Set(board.items.slice(0, 7).map((r) => r.requestId))).toEqual(new Set(ids.slice(15, 22)));
    const grid = await openRequests(await who('gw-G002-ft'), undefined, observeAt);
    expect(grid.items).toHaveLength(answer.perGrid.G002.open);
  });

  it('trends put the scenario in May 2027 and nothing in the 11 months before', async () => {
    const t = await trends(await who('street-1'), undefined, 12, observeAt);
    expect(t.months[0]).toBe('2026-06');
    expect(t.months.at(-1)).toBe('2027-05');
    expect(t.overall.received).toEqual([...Array(11).fill(0), 40]);
    expect(t.overall.onTimeRate.at(-1)).toBe(answer.onTimeRate);
    expect(t.byType.find((x) => x.key === 'livelihood')!.received.at(-1)).toBe(40);
    expect(t.byCommunity.find((x) => x.key === 'C01')!.received.at(-1)).toBe(40);
    expect(t.byCommunity.find((x) => x.key === 'C02')!.received.at(-1)).toBe(0);
  });
});

describe('console scope over HTTP', () => {
  it('each level sees its own scope and is refused a wider one', async () => {
    const gw = await tokenAs('grid_worker'); // G001
    expect((await call('GET', '/v1/console/overview', { token: gw })).body.scope).toMatchObject({ kind: 'grid', id: 'G001' });
    expect((await call('GET', '/v1/console/overview?scope=grid:G002', { token: gw })).status).toBe(403);
    expect((await call('GET', '/v1/console/overview?scope=street', { token: gw })).status).toBe(403);
    const cs = await tokenAs('community_staff'); // C01
    expect((await call('GET', '/v1/console/overview?scope=grid:G002', { token: cs })).status).toBe(200);
    expect((await call('GET', '/v1/console/overview?scope=grid:G017', { token: cs })).status).toBe(403);
    expect((await call('GET', '/v1/console/overview?scope=community:C02', { token: cs })).status).toBe(403);
    const bad = await call('GET', '/v1/console/overview?scope=everything', { token: cs });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('query.scope');
    expect((await call('GET', '/v1/console/overview', { token: await tokenAs('resident') })).status).toBe(403);
  });

  it('the current figures over HTTP are the scenario\'s', async () => {
    const res = await call('GET', '/v1/console/overview?scope=community:C01', { token: await tokenAs('street_staff') });
    expect(res.status).toBe(200);
    expect(res.body.requests).toMatchObject({ open: answer.open, overdueOpen: answer.overdueOpen });
    const grids = await call('GET', '/v1/console/grids?scope=community:C01', { token: await tokenAs('street_staff') });
    expect(grids.body.communities[0].grids.find((g: { gridId: string }) => g.gridId === 'G001')).toMatchObject(answer.perGrid.G001);
  });
});
