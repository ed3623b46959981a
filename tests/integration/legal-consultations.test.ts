import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';

import { seedDemoData } from '../../infra/local/seed';
import { ddb } from '../../shared/aws';
import { config } from '../../shared/config';
import { keys } from '../../shared/db/keys';
import { book, cancel, createSlot, move, myConsultations, recordConsultation, remindTomorrow, slotForOfficer, slotWhen } from '../../shared/legal/consultations';
import { legalFigures } from '../../shared/legal/figures';
import type { SlotInput } from '../../shared/legal/model';
import { reconcileOutbox } from '../../shared/queue/messages';
import { atBeijing } from '../../shared/time';
import { tokenAs } from '../fixtures/principals';
import { notificationsOf } from '../fixtures/requests';
import { useTestStack } from '../support/stack';
import { waitFor } from '../support/wait';

/**
 * 法律咨询 with the duty lawyer (#19 item 1) on the real local stack: slots, bookings that never
 * pass a slot's places however many book at once, cancel and move in one commit, the lawyer's
 * record, the evening reminder at the edges of the Beijing day, and who may read what.
 */
const t = useTestStack({ workers: true });
const officer = { userId: 'legal-1', roles: ['legal_officer' as const] };
const resident = (id: string) => ({ userId: id, roles: ['resident' as const] });
const about = { category: 'labour' as const, description: '在工地干了三个月，老板一直拖欠工资' };
/** A fixed clock: Wednesday 2027-03-10, 10:00 Beijing. */
const t0 = new Date('2027-03-10T02:00:00.000Z');
const slotAt = (date: string, clock: string, over: Partial<SlotInput> = {}): SlotInput => ({
  startAt: atBeijing(date, clock).toISOString(),
  endAt: new Date(atBeijing(date, clock).getTime() + 2 * 3600_000).toISOString(),
  mode: 'in_person',
  place: '街道公共法律服务中心 1 号接待室',
  lawyerName: '陈律师',
  capacity: 3,
  ...over,
});

beforeAll(async () => {
  await seedDemoData();
});

describe('consultation slots', () => {
  it('a legal officer publishes a slot; residents see it with its places, in words they read', async () => {
    const start = new Date(Date.now() + 3 * 86_400_000);
    const body = { startAt: start.toISOString(), endAt: new Date(start.getTime() + 3600_000).toISOString(), mode: 'phone', place: '电话咨询', lawyerName: '罗律师', capacity: 2 };
    const created = await t.call('POST', '/v1/legal/slots', { token: await tokenAs('legal_officer'), body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ mode: 'phone', modeName: '电话咨询', capacity: 2, booked: 0, left: 2, status: 'open', when: slotWhen(created.body) });
    const listed = await t.call('GET', '/v1/legal/slots?limit=100', { token: await tokenAs('resident') });
    expect(listed.body.items.find((s: { slotId: string }) => s.slotId === created.body.slotId)).toMatchObject({ left: 2, lawyerName: '罗律师' });
    // Earliest first.
    const starts = listed.body.items.map((s: { startAt: string }) => s.startAt);
    expect(starts).toEqual([...starts].sort());

    const officerToken = await tokenAs('legal_officer');
    const backwards = await t.call('POST', '/v1/legal/slots', { token: officerToken, body: { ...body, endAt: start.toISOString() } });
    expect([backwards.status, backwards.body.error.details]).toEqual([400, [{ field: 'body.endAt', reason: 'custom', message: '结束时间要晚于开始时间' }]]);
    const none = await t.call('POST', '/v1/legal/slots', { token: officerToken, body: { ...body, capacity: 0 } });
    expect([none.status, none.body.error.details]).toEqual([400, [{ field: 'body.capacity', reason: 'too_small', message: '至少 1 人' }]]);
    const notOfficer = await t.call('POST', '/v1/legal/slots', { token: await tokenAs('resident'), body });
    expect(notOfficer.status).toBe(403);
  });

  it('reads the slot as a resident does: 3月12日（周五）09:00–11:00', () => {
    expect(slotWhen(slotAt('2027-03-12', '09:00'))).toBe('3月12日（周五）09:00–11:00');
  });
});

describe('booking', () => {
  it('never gives more places than the slot has, however many book at the same moment', async () => {
    const slot = await createSlot(officer, slotAt('2027-03-12', '09:00', { capacity: 3 }), t0);
    const answers = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => book(resident(`crowd-${i}`), slot.slotId, about, t0)));
    const ok = answers.filter((a) => a.status === 'fulfilled');
    const refused = answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(ok).toHaveLength(3);
    expect(refused.map((r) => (r.reason as { code: string }).code)).toEqual(Array(5).fill('SLOT_FULL'));
    const seen = await slotForOfficer(officer, slot.slotId, t0);
    expect([seen.slot.booked, seen.slot.left, seen.bookings.length]).toEqual([3, 0, 3]);
  });

  it('one booking a person; cancelled until the start, the place goes back, and may be booked again', async () => {
    const slot = await createSlot(officer, slotAt('2027-03-12', '14:30', { capacity: 1 }), t0);
    const me = resident('booker-1');
    const first = await book(me, slot.slotId, about, t0);
    expect(first).toMatchObject({ status: 'booked', statusName: '已预约', categoryName: '劳动争议（欠薪、工伤）', canCancel: true, slot: { slotId: slot.slotId, when: '3月12日（周五）14:30–16:30', modeName: '到中心面谈' } });
    expect((await slotForOfficer(officer, slot.slotId, t0)).slot.left).toBe(0);
    await expect(book(me, slot.slotId, about, t0)).rejects.toMatchObject({ code: 'ALREADY_BOOKED', status: 409 });
    await expect(book(resident('booker-2'), slot.slotId, about, t0)).rejects.toMatchObject({ code: 'SLOT_FULL' });
    expect(await cancel(me, slot.slotId, t0)).toMatchObject({ status: 'cancelled', canCancel: false });
    await expect(cancel(me, slot.slotId, t0)).rejects.toMatchObject({ code: 'BOOKING_NOT_FOUND', status: 404 });
    await book(resident('booker-2'), slot.slotId, about, t0);
    expect((await slotForOfficer(officer, slot.slotId, t0)).slot.left).toBe(0);
    // Once the slot has begun: neither booking nor cancelling (the resident is told to call).
    const started = new Date(Date.parse(slot.startAt));
    await expect(cancel(resident('booker-2'), slot.slotId, started)).rejects.toMatchObject({ code: 'SLOT_STARTED', message: '咨询已经开始，不能取消；如不能前来，请致电法律服务中心' });
    await expect(book(me, slot.slotId, about, new Date(started.getTime() - 1))).rejects.toMatchObject({ code: 'SLOT_FULL' });
  });

  it('moves a booking in one commit: to a full slot, nothing changes; to an open one, the place moves', async () => {
    const from = await createSlot(officer, slotAt('2027-03-15', '09:00', { capacity: 2 }), t0);
    const full = await createSlot(officer, slotAt('2027-03-15', '14:30', { capacity: 1 }), t0);
    const open = await createSlot(officer, slotAt('2027-03-16', '09:00', { capacity: 2 }), t0);
    const me = resident('mover-1');
    await book(me, from.slotId, about, t0);
    await book(resident('mover-2'), full.slotId, about, t0);
    await expect(move(me, from.slotId, full.slotId, t0)).rejects.toMatchObject({ code: 'SLOT_FULL' });
    expect((await slotForOfficer(officer, from.slotId, t0)).slot.booked).toBe(1);
    const moved = await move(me, from.slotId, open.slotId, t0);
    expect(moved).toMatchObject({ status: 'booked', description: about.description, slot: { slotId: open.slotId } });
    expect((await slotForOfficer(officer, open.slotId, t0)).slot.booked).toBe(1);
    expect((await slotForOfficer(officer, from.slotId, t0)).slot.booked).toBe(0);
    const mine = await myConsultations(me, t0);
    expect(mine.items.map((b) => [b.slot.slotId, b.status])).toEqual([
      [open.slotId, 'booked'],
      [from.slotId, 'cancelled'],
    ]);
  });
});

describe('the lawyer\'s record', () => {
  it('only once the slot has begun; held with the advice and what it became, or a no-show; counted once', async () => {
    const month = '2027-03';
    const before = await legalFigures(month);
    const slot = await createSlot(officer, slotAt('2027-03-17', '09:00', { capacity: 3 }), t0);
    await book(resident('rec-1'), slot.slotId, about, t0);
    await book(resident('rec-2'), slot.slotId, { category: 'neighbour', description: '邻居占用楼道堆放杂物，协商不成' }, t0);
    const during = new Date(Date.parse(slot.startAt) + 30 * 60_000);
    await expect(recordConsultation(officer, slot.slotId, 'rec-1', { attended: true, advice: '可向劳动监察大队投诉', outcome: 'legal_aid' }, new Date(Date.parse(slot.startAt) - 1))).rejects.toMatchObject({ code: 'SLOT_NOT_STARTED' });
    const held = await recordConsultation(officer, slot.slotId, 'rec-1', { attended: true, advice: '可向劳动监察大队投诉，并申请法律援助追讨欠薪', outcome: 'legal_aid' }, during);
    expect(held).toMatchObject({ status: 'held', statusName: '已咨询', outcome: 'legal_aid', outcomeName: '转法律援助申请', canCancel: false });
    await expect(recordConsultation(officer, slot.slotId, 'rec-1', { attended: false }, during)).rejects.toMatchObject({ code: 'CONSULTATION_RECORDED' });
    expect(await recordConsultation(officer, slot.slotId, 'rec-2', { attended: false }, during)).toMatchObject({ status: 'no_show', statusName: '未到' });
    const after = await legalFigures(month);
    expect({ booked: after.booked - before.booked, held: after.held - before.held, noShow: after.noShow - before.noShow, toLegalAid: after.toLegalAid - before.toLegalAid }).toEqual({ booked: 2, held: 1, noShow: 1, toLegalAid: 1 });
  });

  it('is refused with the fields at fault when held without advice', async () => {
    const token = await tokenAs('legal_officer');
    const res = await t.call('POST', `/v1/legal/slots/${'0'.repeat(26)}/bookings/x/record`, { token, body: { attended: true } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.advice', 'body.outcome']);
  });
});

describe('the evening reminder', () => {
  it('tells tomorrow\'s bookings once, at either edge of the Beijing day', async () => {
    const thu = await createSlot(officer, slotAt('2027-03-18', '09:00'), t0);
    const fri = await createSlot(officer, slotAt('2027-03-19', '09:00'), t0);
    await book(resident('remind-thu'), thu.slotId, about, t0);
    await book(resident('remind-fri'), fri.slotId, about, t0);
    const cancelled = resident('remind-cancelled');
    await book(cancelled, thu.slotId, about, t0);
    await cancel(cancelled, thu.slotId, t0);
    // Wednesday 23:59:59.999 Beijing is still Wednesday: Thursday's bookings.
    expect(await remindTomorrow(new Date(atBeijing('2027-03-18').getTime() - 1))).toEqual({ reminded: 1 });
    expect(await remindTomorrow(new Date(atBeijing('2027-03-18').getTime() - 1))).toEqual({ reminded: 0 });
    // Thursday 00:00 Beijing (Wednesday 16:00 UTC): Friday's.
    expect(await remindTomorrow(atBeijing('2027-03-18'))).toEqual({ reminded: 1 });
    await reconcileOutbox(new Date(), 0);
    await waitFor(async () => (await notificationsOf('remind-thu')).length === 1 && (await notificationsOf('remind-fri')).length === 1, 15_000, 'the reminders');
    const [n] = await notificationsOf('remind-thu');
    expect(n).toMatchObject({ template: 'consultation_reminder', page: 'pages/legal/mine/index', data: { time: '3月18日（周四）09:00–11:00', place: '街道公共法律服务中心 1 号接待室' } });
    expect(await notificationsOf('remind-cancelled')).toEqual([]);
  });
});

describe('who reads what', () => {
  it('a resident reads their own; the centre reads a slot\'s bookings, every read audited; the sub-district sees figures only', async () => {
    const start = new Date(Date.now() + 4 * 86_400_000);
    const slot = await createSlot(officer, { ...slotAt('2027-03-12', '09:00'), startAt: start.toISOString(), endAt: new Date(start.getTime() + 3600_000).toISOString() });
    const token = await tokenAs('resident', 'resident-3');
    const booked = await t.call('POST', `/v1/legal/slots/${slot.slotId}/bookings`, { token, body: about });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const mine = await t.call('GET', '/v1/me/consultations', { token });
    expect(mine.body.items[0]).toMatchObject({ slotId: slot.slotId, status: 'booked', description: about.description, slot: { lawyerName: '陈律师' } });
    expect((await t.call('GET', '/v1/me/consultations', { token: await tokenAs('resident', 'resident-4') })).body.items.map((b: { slotId: string }) => b.slotId)).not.toContain(slot.slotId);

    for (const role of ['resident', 'grid_worker', 'street_staff', 'admin'] as const) {
      expect((await t.call('GET', `/v1/legal/slots/${slot.slotId}`, { token: await tokenAs(role) })).status, role).toBe(403);
    }
    const seen = await t.call('GET', `/v1/legal/slots/${slot.slotId}`, { token: await tokenAs('legal_officer') });
    expect(seen.status).toBe(200);
    expect(seen.body.bookings).toEqual([expect.objectContaining({ userId: 'resident-3', description: about.description, phoneMasked: expect.stringMatching(/^1\d\d\*{4}\d{4}$/) })]);
    const audit = await ddb().send(
      new QueryCommand({ TableName: config().TABLE_NAME, IndexName: 'byLookup', KeyConditionExpression: 'lookupPk = :pk', ExpressionAttributeValues: { ':pk': keys.auditByTargetPartition('consultation', slot.slotId) } }),
    );
    expect(audit.Items!.map((a) => [a.actorId, a.action])).toEqual([['legal-1', 'consultation.read']]);
    // A phone consultation is a call: the centre's officer may see the booked resident's number
    // for that booking (audited), not for a slot the resident did not book.
    const officerToken = await tokenAs('legal_officer');
    const reveal = (slotId?: string) => t.call('POST', '/v1/users/resident-3/contact-reveals', { token: officerToken, body: { field: 'phone', reason: '电话法律咨询', ...(slotId ? { slotId } : {}) } });
    const shown = await reveal(slot.slotId);
    expect(shown.status).toBe(200);
    expect(shown.body.value).toMatch(/^1\d{10}$/);
    expect(shown.body.value.slice(-4)).toBe(seen.body.bookings[0].phoneMasked.slice(-4));
    expect((await reveal()).status).toBe(403);
    const other = await createSlot(officer, { ...slotAt('2027-03-12', '09:00'), startAt: start.toISOString(), endAt: new Date(start.getTime() + 3600_000).toISOString() });
    expect((await reveal(other.slotId)).body.error.code).toBe('OUT_OF_SCOPE');
    const reveals = await ddb().send(
      new QueryCommand({ TableName: config().TABLE_NAME, IndexName: 'byLookup', KeyConditionExpression: 'lookupPk = :pk', ExpressionAttributeValues: { ':pk': keys.auditByTargetPartition('user', 'resident-3') } }),
    );
    expect(reveals.Items!.filter((a) => a.action === 'pii.reveal' && a.detail?.slotId === slot.slotId).map((a) => a.actorId)).toEqual(['legal-1']);

    const figures = await t.call('GET', '/v1/legal/figures?month=2027-03', { token: await tokenAs('street_staff') });
    expect(figures.status).toBe(200);
    expect(Object.keys(figures.body).sort()).toEqual(['aid', 'booked', 'cancelled', 'held', 'mediation', 'month', 'noShow', 'toLegalAid', 'toMediation']);
  });
});
