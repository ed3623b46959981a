import { beforeAll, describe, expect, it } from 'vitest';

import { seedDemoData } from '../../infra/local/seed';
import type { Principal } from '../../shared/auth/principal';
import { act, readRequest, routeRequest, type SubmitInput,submitRequest, sweepSla } from '../../shared/requests/use-cases';
import { principalOf } from '../../shared/users/model';
import { getUser } from '../../shared/users/repository';
import { legalAid, livelihood } from '../fixtures/requests';
import { useTestStack } from '../support/stack';

useTestStack({ workers: false });

const minutes = (n: number) => n * 60_000;
const hours = (n: number) => n * 3600_000;
let resident: Principal;
let worker: Principal;

beforeAll(async () => {
  await seedDemoData();
  resident = principalOf((await getUser('resident-4'))!); // grid G004
  worker = principalOf((await getUser('gw-G004-ft'))!);
});

/** A request submitted and routed at t0, on the test's own clock. */
async function routedAt(t0: Date, body: SubmitInput = livelihood) {
  const { requestId } = await submitRequest(resident, body, undefined, t0);
  expect(await routeRequest(requestId, t0)).toBe('assigned');
  return requestId;
}
const at = (t0: Date, ms: number) => new Date(t0.getTime() + ms);
const view = (id: string, now: Date) => readRequest(resident, id, now);

describe('the SLA sweep (controllable clock)', () => {
  it('escalates an unaccepted request grid -> community -> sub-district, and never past it', async () => {
    const t0 = new Date('2027-03-01T01:00:00Z');
    const id = await routedAt(t0);
    // livelihood: accept within 2 h.
    expect(await sweepSla(at(t0, hours(1)))).toMatchObject({ escalated: 0 });
    expect((await view(id, at(t0, hours(1)))).level).toBe('grid');

    const t1 = at(t0, hours(2) + minutes(1));
    expect((await sweepSla(t1)).escalated).toBe(1);
    const v1 = await view(id, t1);
    expect(v1).toMatchObject({ level: 'community', status: 'assigned', escalations: 1, assigneeId: null });
    expect(v1.timeline.at(-1)).toMatchObject({ kind: 'escalated', actorId: 'system', text: '超时未受理，自动上报至社区' });

    // Run twice at once: the version check lets one escalation through.
    const t2 = at(t1, hours(2) + minutes(1));
    const both = await Promise.all([sweepSla(t2), sweepSla(t2)]);
    expect(both[0].escalated + both[1].escalated).toBe(1);
    expect((await view(id, t2)).level).toBe('street');

    const t3 = at(t2, hours(2) + minutes(1));
    expect(await sweepSla(t3)).toMatchObject({ escalated: 0, breachedAtTop: 1 });
    const v3 = await view(id, t3);
    expect(v3.level).toBe('street');
    expect(v3.timeline.at(-1)).toMatchObject({ kind: 'overdue', text: '超时未受理，已由街道督办' });

    // Nothing more happens however late it gets: the breach is on the timeline once.
    expect(await sweepSla(at(t3, hours(500)))).toMatchObject({ escalated: 0, breachedAtTop: 0 });
    expect((await view(id, at(t3, hours(500)))).timeline.map((e) => e.kind)).toEqual(['submitted', 'assigned', 'escalated', 'escalated', 'overdue']);
  });

  it('escalates an accepted request that is not resolved in time, and shows it overdue to the resident', async () => {
    const t0 = new Date('2027-03-02T01:00:00Z');
    const id = await routedAt(t0);
    await act(worker, id, { action: 'accept' }, at(t0, minutes(30)));
    expect(await sweepSla(at(t0, hours(71)))).toMatchObject({ escalated: 0 });
    const late = at(t0, hours(72) + minutes(1));
    expect((await view(id, late)).overdue).toBe(true);
    expect((await sweepSla(late)).escalated).toBe(1);
    const v = await view(id, late);
    expect(v).toMatchObject({ level: 'community', status: 'assigned', overdue: false });
    expect(v.timeline.at(-1)!.text).toBe('超时未办结，自动上报至社区');
  });

  it('takes legal aid from the legal centre straight to the sub-district', async () => {
    const t0 = new Date('2027-03-03T01:00:00Z');
    const id = await routedAt(t0, legalAid);
    expect((await view(id, t0)).level).toBe('legal');
    expect((await sweepSla(at(t0, hours(24) + minutes(1)))).escalated).toBe(1);
    expect((await view(id, at(t0, hours(25)))).level).toBe('street');
  });

  it('refuses a reopen more than 7 days after resolution', async () => {
    const t0 = new Date('2027-03-04T01:00:00Z');
    const id = await routedAt(t0);
    await act(worker, id, { action: 'accept' }, at(t0, minutes(10)));
    await act(worker, id, { action: 'resolve', outcome: 'resolved', note: '已修好' }, at(t0, hours(5)));
    await expect(act(resident, id, { action: 'reopen', reason: '又坏了' }, at(t0, hours(5) + hours(7 * 24) + minutes(1)))).rejects.toMatchObject({ code: 'REOPEN_WINDOW_PASSED', status: 409 });
    const back = await act(resident, id, { action: 'reopen', reason: '又坏了' }, at(t0, hours(6)));
    expect(back).toMatchObject({ status: 'in_progress', assigneeId: 'gw-G004-ft' });
  });

  it('closes a resolved request the resident neither confirms nor reopens within 7 days, once', async () => {
    const t0 = new Date('2027-03-05T01:00:00Z');
    const id = await routedAt(t0);
    await act(worker, id, { action: 'accept' }, at(t0, minutes(10)));
    const resolvedAt = at(t0, hours(5));
    await act(worker, id, { action: 'resolve', outcome: 'resolved', note: '已修好' }, resolvedAt);
    expect(await sweepSla(at(resolvedAt, hours(7 * 24) - minutes(1)))).toMatchObject({ closed: 0 });
    expect((await view(id, at(resolvedAt, hours(7 * 24) - minutes(1)))).status).toBe('resolved');

    const late = at(resolvedAt, hours(7 * 24) + minutes(1));
    const both = await Promise.all([sweepSla(late), sweepSla(late)]);
    expect(both[0].closed + both[1].closed).toBe(1);
    const v = await view(id, late);
    expect(v).toMatchObject({ status: 'closed', reopenUntil: null });
    expect(v.timeline.at(-1)).toMatchObject({ kind: 'closed', actorId: 'system', text: '居民 7 天内未确认，系统自动办结' });
    expect(await sweepSla(at(late, hours(100)))).toMatchObject({ closed: 0 });
    // The resident can still rate it; reopening is over.
    await expect(act(resident, id, { action: 'reopen', reason: '又坏了' }, late)).rejects.toMatchObject({ status: 409 });
    expect((await act(resident, id, { action: 'rate', score: 4 }, late)).rating).toMatchObject({ score: 4 });
  });

  it('leaves a confirmed request alone', async () => {
    const t0 = new Date('2027-03-06T01:00:00Z');
    const id = await routedAt(t0);
    await act(worker, id, { action: 'accept' }, at(t0, minutes(10)));
    await act(worker, id, { action: 'resolve', outcome: 'resolved', note: '已修好' }, at(t0, hours(1)));
    await act(resident, id, { action: 'confirm' }, at(t0, hours(2)));
    expect(await sweepSla(at(t0, hours(24 * 30)))).toMatchObject({ closed: 0 });
    expect((await view(id, at(t0, hours(24 * 30)))).timeline.at(-1)).toMatchObject({ kind: 'confirmed' });
  });
});
