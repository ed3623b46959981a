import { beforeAll, describe, expect, it } from 'vitest';

import { demoRoster } from '../../infra/local/demo-data';
import { seedDemoData } from '../../infra/local/seed';
import { routeRequest } from '../../shared/requests/use-cases';
import { tokenAs } from '../fixtures/principals';
import { notificationsOf } from '../fixtures/requests';
import { livelihood } from '../fixtures/requests';
import { useTestStack } from '../support/stack';
import { waitFor } from '../support/wait';

/**
 * 代办 (#15): a grid worker submits for a household member without a phone. The request is that
 * person's, the worker is recorded, and the household's members who use the app follow it.
 */
const t = useTestStack({ workers: true });

/** Household H000001 (grid G001) from the demo roster: its members' person ids and phones. */
const h1 = demoRoster(256)
  .split('\n')
  .slice(1)
  .map((l) => l.split(','))
  .filter((c) => c[0] === 'H000001')
  .map((c, n) => ({ personId: `H000001-${n + 1}`, name: c[6]!, phone: c[9]! }));

let requestId = '';

beforeAll(async () => {
  await seedDemoData();
  // The spouse uses the app: resident-1 registered the spouse's number.
  const follower = await tokenAs('resident', 'resident-1');
  expect((await t.call('PATCH', '/v1/me', { token: follower, body: { phone: h1[1]!.phone } })).status).toBe(200);
});

describe('POST /v1/households/{householdId}/requests (代办)', () => {
  it('submits for the head of household: theirs, with the worker recorded, routed to the household\'s grid', async () => {
    const worker = await tokenAs('grid_worker', 'gw-G001-ft');
    const res = await t.call('POST', '/v1/households/H000001/requests', { token: worker, body: { ...livelihood, personId: h1[0]!.personId }, headers: { 'idempotency-key': 'onbehalf-0001' } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    requestId = res.body.requestId;
    expect(res.body).toMatchObject({ requesterId: 'person-H000001-H000001-1', onBehalfOf: { name: h1[0]!.name, submittedByName: expect.any(String) } });
    // A resend is the same request.
    const again = await t.call('POST', '/v1/households/H000001/requests', { token: worker, body: { ...livelihood, personId: h1[0]!.personId }, headers: { 'idempotency-key': 'onbehalf-0001' } });
    expect(again.body.requestId).toBe(requestId);
    await waitFor(async () => (await t.call('GET', `/v1/requests/${requestId}`, { token: worker })).body.status === 'assigned', 20_000, 'routing');
    expect(await routeRequest(requestId)).toBe('already_routed');
    const view = await t.call('GET', `/v1/requests/${requestId}`, { token: worker });
    expect(view.body).toMatchObject({ level: 'grid', gridId: 'G001', assigneeId: 'gw-G001-ft' });
    expect(view.body.timeline[0].text).toBe(`网格员${res.body.onBehalfOf.submittedByName}代${h1[0]!.name}提交，正在分派给负责的工作人员`);
  });

  it('the household member with the app follows it: reads it, is told, and confirms it', async () => {
    const follower = await tokenAs('resident', 'resident-1');
    const worker = await tokenAs('grid_worker', 'gw-G001-ft');
    expect((await t.call('GET', `/v1/requests/${requestId}`, { token: follower })).status).toBe(200);
    // It is in the follower's 我的诉求, with whom it is for; someone outside the household sees neither.
    const mine = await t.call('GET', '/v1/me/requests', { token: follower });
    expect(mine.body.items.filter((q: { requestId: string }) => q.requestId === requestId)).toEqual([
      expect.objectContaining({ requestId, requesterId: 'person-H000001-H000001-1', onBehalfOf: { name: h1[0]!.name, submittedByName: expect.any(String) } }),
    ]);
    const outsider = await tokenAs('resident', 'resident-2');
    expect((await t.call('GET', `/v1/requests/${requestId}`, { token: outsider })).status).toBe(404);
    expect((await t.call('GET', '/v1/me/requests', { token: outsider })).body.items.map((q: { requestId: string }) => q.requestId)).not.toContain(requestId);
    expect((await t.call('POST', `/v1/requests/${requestId}/actions`, { token: worker, body: { action: 'accept' } })).status).toBe(200);
    await waitFor(async () => (await notificationsOf('resident-1')).some((n) => n.data.requestId === requestId && n.data.status === '办理中'), 20_000, 'the follower told');
    const told = (await notificationsOf('resident-1')).find((n) => n.data.requestId === requestId)!;
    expect(told.page).toBe(`pages/requests/detail/index?requestId=${requestId}`);
    expect((await t.call('POST', `/v1/requests/${requestId}/actions`, { token: worker, body: { action: 'resolve', outcome: 'resolved', note: '已修好' } })).status).toBe(200);
    const confirmed = await t.call('POST', `/v1/requests/${requestId}/actions`, { token: follower, body: { action: 'confirm' } });
    expect(confirmed.body.status).toBe('closed');
  });

  it('only for a household of the worker\'s own grid, and a member of it', async () => {
    const other = await tokenAs('grid_worker', 'gw-G002-ft');
    const res = await t.call('POST', '/v1/households/H000001/requests', { token: other, body: { ...livelihood, personId: h1[0]!.personId } });
    expect([res.status, res.body.error.code]).toEqual([404, 'HOUSEHOLD_NOT_FOUND']);
    const worker = await tokenAs('grid_worker', 'gw-G001-ft');
    const bad = await t.call('POST', '/v1/households/H000001/requests', { token: worker, body: { ...livelihood, personId: 'H000002-1' } });
    expect([bad.status, bad.body.error.details[0].field]).toEqual([400, 'body.personId']);
    expect((await t.call('POST', '/v1/households/H000001/requests', { token: await tokenAs('resident'), body: { ...livelihood, personId: h1[0]!.personId } })).status).toBe(403);
  });
});
