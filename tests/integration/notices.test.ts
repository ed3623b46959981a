import { beforeAll, describe, expect, it } from 'vitest';

import { seedDemoData } from '../../infra/local/seed';
import { links } from '../../shared/links';
import { noticeText } from '../../shared/notifications/notices';
import { deliverNotification } from '../../shared/notifications/notify';
import { tokenAs } from '../fixtures/principals';
import { useTestStack } from '../support/stack';
import { waitFor } from '../support/wait';

const t = useTestStack({ workers: true });
let resident = '';
let worker = '';

beforeAll(async () => {
  await seedDemoData();
  resident = await tokenAs('resident', 'resident-4');
  worker = await tokenAs('grid_worker', 'gw-G004-ft');
});

describe('how a notice reads', () => {
  it('says what is asked of a worker, in Beijing time, and what happened to a resident', () => {
    expect(noticeText({ template: 'request_assigned', data: { type: '民生诉求', level: '网格', due: '2026-11-30T01:00:00.000Z' } })).toBe('民生诉求：已分派给您，请在 11月30日 09:00 前受理');
    expect(noticeText({ template: 'request_informed', data: { type: '法律援助', level: '公共法律服务中心' } })).toBe('法律援助：已分派至公共法律服务中心，请您知悉');
    expect(noticeText({ template: 'request_status', data: { type: '民生诉求', status: '已办结' } })).toBe('民生诉求：已办结');
    expect(noticeText({ template: 'application_status', data: { job: '缝纫工', status: '已录用' } })).toBe('缝纫工：已录用');
  });
});

describe('我的消息: the notifications a user was sent, kept by the server', () => {
  it('keeps every notification of a request\'s life, newest first, with a link to open and an unread count', async () => {
    const created = await t.call('POST', '/v1/requests', {
      token: resident,
      body: { typeCode: 'livelihood', description: '4号楼下水道堵了', fields: { category: 'water', location: '4栋1单元' } },
    });
    const requestId: string = created.body.requestId;
    await waitFor(async () => (await t.call('GET', `/v1/requests/${requestId}`, { token: resident })).body.status === 'assigned', 20_000, 'routing');
    // The worker is told, and sees it in their own list with the handler's link.
    const theirs = await waitFor(async () => {
      const r = await t.call('GET', '/v1/me/notifications', { token: worker });
      return r.body.items.length ? r.body : undefined;
    }, 20_000, 'the worker\'s notice');
    expect(theirs.items[0]).toMatchObject({ title: '有新的诉求待您受理', page: links.request(requestId, 'handler'), read: false });
    expect(theirs.items[0].text).toMatch(/^民生诉求：已分派给您，请在 \d+月\d+日 \d\d:\d\d 前受理$/);
    expect(theirs.unread).toBe(1);

    await t.call('POST', `/v1/requests/${requestId}/actions`, { token: worker, body: { action: 'accept' } });
    await t.call('POST', `/v1/requests/${requestId}/actions`, { token: worker, body: { action: 'resolve', outcome: 'resolved', note: '已疏通' } });
    const mine = await waitFor(async () => {
      const r = await t.call('GET', '/v1/me/notifications?limit=10', { token: resident });
      return r.body.items.length >= 2 ? r.body : undefined;
    }, 20_000, 'the resident\'s notices');
    expect(mine.unread).toBe(mine.items.length);
    expect(mine.items.every((n: { page: string; read: boolean }) => n.page === links.request(requestId) && !n.read)).toBe(true);
    const times = mine.items.map((n: { at: string }) => n.at);
    expect([...times].sort().reverse()).toEqual(times);

    const read = await t.call('POST', '/v1/me/notifications/read', { token: resident });
    expect(read.body).toEqual({ unread: 0 });
    const after = await t.call('GET', '/v1/me/notifications', { token: resident });
    expect(after.body.unread).toBe(0);
    expect(after.body.items.every((n: { read: boolean }) => n.read)).toBe(true);
  });

  it('keeps a redelivered notification once, and counts it once', async () => {
    const n = { notificationId: 'test-once-1', userId: 'resident-5', template: 'application_status' as const, data: { job: '缝纫工', status: '已录用' }, page: links.myApplications(), at: '2026-11-29T10:00:00.000Z' };
    await deliverNotification(n);
    // A crash between keeping it and marking it sent: the queue delivers it again.
    const { keepNotice } = await import('../../shared/notifications/notices');
    await keepNotice(n);
    const r = await t.call('GET', '/v1/me/notifications', { token: await tokenAs('resident', 'resident-5') });
    expect(r.body).toEqual({
      items: [{ notificationId: 'test-once-1', title: '求职进度更新', text: '缝纫工：已录用', page: 'pages/jobs/applications/index', at: '2026-11-29T10:00:00.000Z', read: false }],
      unread: 1,
      nextCursor: null,
    });
  });

  it('pages through a long list with sealed cursors, every notice once', async () => {
    for (let i = 0; i < 7; i++) {
      await deliverNotification({ notificationId: `page-${i}`, userId: 'resident-6', template: 'signup_status', data: { activity: `活动${i}`, status: '报名成功' }, at: `2026-11-29T0${i}:00:00.000Z` });
    }
    const token = await tokenAs('resident', 'resident-6');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { body: { items: { notificationId: string }[]; unread: number; nextCursor: string | null } } = await t.call('GET', `/v1/me/notifications?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
      expect(r.body.unread).toBe(7);
      seen.push(...r.body.items.map((n) => n.notificationId));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['page-6', 'page-5', 'page-4', 'page-3', 'page-2', 'page-1', 'page-0']);
  });
});
