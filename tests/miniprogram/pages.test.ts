import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import { demoRoster, demoUsers } from '../../infra/local/demo-data';
import { seedDemoData } from '../../infra/local/seed';
import { demoApi, renderPreviews } from '../../infra/miniprogram/preview';
import { createSimulator, type Phone,simulatedPhoto } from '../../infra/miniprogram/simulator';
import { ddb } from '../../shared/aws';
import { config } from '../../shared/config';
import { keys } from '../../shared/db/keys';
import { planVisits } from '../../shared/households/use-cases';
import { book, createSlot } from '../../shared/legal/consultations';
import { links } from '../../shared/links';
import { deliverNotification } from '../../shared/notifications/notify';
import { notificationsOf } from '../fixtures/requests';
import { launchChromium } from '../support/chromium';
import { useTestStack } from '../support/stack';
import { waitFor } from '../support/wait';

/**
 * Every page of the mini-program, compiled as WeChat compiles it and rendered by
 * miniprogram-simulate, talking to a real local stack (DynamoDB Local, the SQS emulator, the
 * queue consumers): what the page shows is what the API answered.
 */
const t = useTestStack({ workers: true });
const root = inject('miniprogramRoot');
let sim: ReturnType<typeof createSimulator>;

/** Arranging and checking through the API directly, as a demo user (one login per user). */
let as: ReturnType<typeof demoApi>;
function phone(openid: string, extra: Partial<Parameters<typeof sim.usePhone>[0]> = {}): Phone {
  return sim.usePhone({ apiUrl: t.stack.apiUrl, openid, ...extra });
}
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

/** A request from resident-1 (grid G001), once the intake consumer has routed it to the grid. */
async function routedRequest(description: string): Promise<string> {
  const created = await as('dev-resident-1', 'POST', '/v1/requests', { typeCode: 'livelihood', description, fields: { category: 'water', location: '1栋2单元' } });
  await waitFor(async () => (await as('dev-resident-1', 'GET', `/v1/requests/${created.requestId}`)).status === 'assigned', 20_000, 'routing to the grid');
  return created.requestId as string;
}

beforeAll(async () => {
  as = demoApi(t.stack.apiUrl);
  await seedDemoData();
  await planVisits(new Date(), { gridIds: ['G001'] });
  sim = createSimulator(root);
});

describe('every page renders with real data', () => {
  it('lists every page of app.json here, so a new page cannot go untested', () => {
    const pages = (JSON.parse(readFileSync(join(root, 'app.json'), 'utf8')) as { pages: string[] }).pages;
    expect(pages).toEqual(Object.keys(renders));
  });

  const renders: Record<string, (() => Promise<void>) | undefined> = {
    'pages/index/index': async () => {
      const worker = phone('dev-gw-G001-ft');
      const me = await as('dev-gw-G001-ft', 'GET', '/v1/me');
      const jobs = await t.call('GET', '/v1/jobs?limit=3');
      // Something for the worker to accept: a request from their grid.
      await routedRequest('单元门禁坏了，老人进不去');
      const inbox = await as('dev-gw-G001-ft', 'GET', '/v1/inbox?status=assigned&limit=50');
      const p = await sim.open('pages/index/index');
      expect(p.text()).toContain(`${me.name}，您好`);
      // What waits for this worker, each line leading to where it is handled.
      const waiting = p.data.waiting.map((w: { text: string; url: string }) => [w.text, w.url]);
      expect(waiting).toContainEqual([`${inbox.items.length} 条诉求待您受理`, '/pages/work/inbox/index']);
      await p.tap('.waiting');
      expect(worker.navigations.at(-1)).toBe('/pages/work/inbox/index');
      expect(p.text()).toContain(`${jobs.body.items[0].employerName}招${jobs.body.items[0].title}`);
      // Section headers are labels, not cards that look tappable.
      expect(p.comp.querySelectorAll('.section').map((x: { dom: { textContent: string } }) => x.dom.textContent)).toEqual(['等我处理', '社区动态']);
    },
    'pages/services/all/index': async () => {
      const worker = phone('dev-gw-G001-ft');
      const p = await sim.open('pages/services/all/index');
      expect([...p.data.work, ...p.data.services].map((e: { title: string }) => e.title)).toEqual([
        '待办诉求',
        '走访任务',
        '网格住户',
        '找工作',
        '我的求职',
        '志愿活动',
        '我的志愿服务',
        '我要办事',
        '我的诉求',
        '法律咨询',
        '我的法律咨询',
        '申请法律援助',
        '申请人民调解',
        '我的援助与调解',
      ]);
      expect(p.comp.querySelectorAll('.entry')).toHaveLength(14);
      expect(p.text()).toContain('待办诉求按到期时间排序，超时标红');
      await p.tap('.entry');
      expect(worker.navigations.at(-1)).toBe('/pages/work/inbox/index');
      phone('dev-resident-3');
      const resident = await sim.open('pages/services/all/index');
      expect(resident.data.work).toEqual([]);
      expect(resident.comp.querySelectorAll('.section').map((x: { dom: { textContent: string } }) => x.dom.textContent)).toEqual(['便民服务']);
    },
    'pages/me/home/index': async () => {
      const resident = phone('dev-resident-1');
      const me = await as('dev-resident-1', 'GET', '/v1/me');
      const mine = await as('dev-resident-1', 'GET', '/v1/me/requests?limit=50');
      const notices = await as('dev-resident-1', 'GET', '/v1/me/notifications?limit=1');
      const p = await sim.open('pages/me/home/index');
      // 关怀模式 at the top, where an elderly resident looks first.
      expect(p.comp.dom.firstChild.firstChild.className).toContain('care-switch');
      expect(p.text()).toContain(me.name);
      expect(p.data.rows.map((r: { title: string }) => r.title)).toEqual(['我的消息', '我的诉求', '我的求职', '我的志愿服务']);
      const toConfirm = mine.items.filter((q: { status: string }) => q.status === 'resolved').length;
      expect(p.data.toConfirm).toBe(toConfirm);
      expect(p.data.unread).toBe(notices.unread);
      await p.tap('.row');
      expect(resident.navigations.at(-1)).toBe('/pages/me/notices/index');
      // 我的网格员: the two people of the resident's grid, one tap to call.
      const grid = await as('dev-resident-1', 'GET', '/v1/me/grid');
      expect(p.data.gridCard.people.map((x: { name: string; role: string }) => `${x.name}（${x.role}）`)).toEqual(grid.workers.map((w: { name: string; role: string }) => `${w.name}（${w.role}）`));
      expect(p.text()).toContain(`我的网格员 · ${grid.grid.name}`);
      await p.tap('.people >>> .call');
      expect(resident.calls).toEqual([grid.workers[0].phone]);
      await p.tap('.care-switch');
      expect(p.comp.dom.firstChild.className).toContain('care');
      await p.tap('.care-switch');
      expect(p.comp.dom.firstChild.className).toContain('normal');
    },
    'pages/me/notices/index': async () => {
      const resident = phone('dev-resident-1');
      await deliverNotification({ notificationId: 'page-test-1', userId: 'resident-1', template: 'application_status', data: { job: '缝纫工', status: '已录用' }, page: links.myApplications() });
      const before = await as('dev-resident-1', 'GET', '/v1/me/notifications?limit=20');
      expect(before.items.length).toBeGreaterThan(0);
      const p = await sim.open('pages/me/notices/index');
      expect(p.data.items.map((n: { notificationId: string }) => n.notificationId)).toEqual(before.items.map((n: { notificationId: string }) => n.notificationId));
      expect(p.text()).toContain(before.items[0].title);
      // Opened: read. The list still shows which ones were new.
      expect((await as('dev-resident-1', 'GET', '/v1/me/notifications?limit=1')).unread).toBe(0);
      await p.tap('.notice');
      expect(resident.navigations.at(-1)).toBe(`/${before.items[0].page}`);
    },
    'pages/jobs/list/index': async () => {
      phone('dev-resident-2');
      const first = await t.call('GET', '/v1/jobs?limit=20');
      const p = await sim.open('pages/jobs/list/index');
      expect(p.comp.querySelectorAll('.job')).toHaveLength(20);
      expect(p.data.items.map((j: { jobId: string }) => j.jobId)).toEqual(first.body.items.map((j: { jobId: string }) => j.jobId));
      await p.lifecycle('onReachBottom');
      const second = await t.call('GET', `/v1/jobs?limit=20&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect(p.data.items.slice(20).map((j: { jobId: string }) => j.jobId)).toEqual(second.body.items.map((j: { jobId: string }) => j.jobId));
      await p.fire('.kind', 'change', { value: 1 });
      expect(p.data.items.length).toBeGreaterThan(0);
      expect(p.text()).toContain('类别：扶贫车间');
      expect(p.text()).not.toContain('公益性岗位 ·');
    },
    'pages/jobs/detail/index': async () => {
      phone('dev-resident-2');
      const job = (await t.call('GET', '/v1/jobs?limit=1')).body.items[0];
      const p = await sim.open('pages/jobs/detail/index', { jobId: job.jobId });
      expect(p.text()).toContain(job.title);
      expect(p.text()).toContain(job.description);
      // Someone to call, and where it is.
      const seeker = sim.current()!;
      expect(p.text()).toContain(`联系人：${job.contact} ${job.contactPhone}`);
      await p.tap('.call');
      expect(seeker.calls.at(-1)).toBe(job.contactPhone);
      await p.tap('.map');
      expect(seeker.maps.at(-1)).toEqual({ latitude: job.location.latitude, longitude: job.location.longitude, name: job.employerName, address: job.location.address });
      expect(p.comp.querySelector('.apply')).toBeTruthy();
    },
    'pages/jobs/applications/index': undefined, // with data: the apply test below
    'pages/activities/list/index': async () => {
      phone('dev-volunteer-1');
      const first = await t.call('GET', '/v1/activities?limit=20');
      const p = await sim.open('pages/activities/list/index');
      expect(p.data.items.map((a: { activityId: string }) => a.activityId)).toEqual(first.body.items.map((a: { activityId: string }) => a.activityId));
      expect(p.text()).toContain(first.body.items[0].title);
    },
    'pages/activities/detail/index': undefined, // the sign-up tests below
    'pages/activities/mine/index': undefined, // the check-in test below
    'pages/volunteer/apply/index': undefined, // becoming a volunteer, below
    'pages/requests/new/index': undefined, // the submit test below
    'pages/requests/mine/index': undefined, // the submit test below
    'pages/requests/detail/index': undefined, // the worker tests below
    'pages/work/inbox/index': undefined, // the worker tests below
    'pages/work/visits/index': async () => {
      phone('dev-gw-G001-ft');
      const visits = await as('dev-gw-G001-ft', 'GET', '/v1/me/visits?limit=100');
      expect(visits.items.length).toBeGreaterThan(0);
      const p = await sim.open('pages/work/visits/index');
      const shown = p.comp.querySelectorAll('.visit');
      expect(shown).toHaveLength(visits.items.length);
      expect(p.text()).toContain(visits.items[0].address);
    },
    'pages/work/households/index': async () => {
      phone('dev-gw-G001-ft');
      const all = await as('dev-gw-G001-ft', 'GET', '/v1/grids/G001/households');
      expect(all.items.length).toBeGreaterThan(0);
      const p = await sim.open('pages/work/households/index');
      expect(p.data.items.map((h: { householdId: string }) => h.householdId)).toEqual(all.items.map((h: { householdId: string }) => h.householdId));
      expect(p.text()).toContain(all.items[0].address);
      const colour = all.items[0].colour as string;
      await p.tap(`.tab-${colour}`);
      expect(p.data.items.length).toBeGreaterThan(0);
      expect(p.data.items.every((h: { colour: string }) => h.colour === colour)).toBe(true);
      // Personal numbers only ever masked on the phone.
      expect(p.html()).not.toMatch(/1[3-9]\d{9}/);
    },
    'pages/work/visit-log/index': undefined, // the visit log test below
    'pages/employer/jobs/index': async () => {
      phone('dev-employer-W01');
      const jobs = await as('dev-employer-W01', 'GET', '/v1/employers/W01/jobs');
      expect(jobs.items.length).toBeGreaterThan(0);
      const p = await sim.open('pages/employer/jobs/index');
      expect(p.data.items.map((j: { jobId: string }) => j.jobId)).toEqual(jobs.items.map((j: { jobId: string }) => j.jobId));
      expect(p.data.items[0].statusName).toBe('招聘中');
    },
    'pages/employer/applications/index': undefined, // the apply test below
    'pages/employer/job-form/index': undefined, // the posting tests below
    'pages/lead/activities/index': async () => {
      phone('dev-lead-T01');
      const mine = await t.call('GET', '/v1/activities?teamId=T01');
      const p = await sim.open('pages/lead/activities/index');
      expect(p.data.items.map((a: { activityId: string }) => a.activityId)).toEqual(mine.body.items.map((a: { activityId: string }) => a.activityId));
      expect(p.data.loadError).toBe('');
    },
    'pages/lead/activity-form/index': undefined, // the posting tests below
    'pages/lead/applications/index': undefined, // becoming a volunteer, below
    'pages/legal/slots/index': async () => {
      phone('dev-resident-2');
      const slots = (await as('dev-resident-2', 'GET', '/v1/legal/slots')).items as { slotId: string; when: string; left: number }[];
      const p = await sim.open('pages/legal/slots/index');
      // The demo duty roster: the centre in the morning, by phone in the afternoon.
      expect(p.data.items.map((s: { slotId: string }) => s.slotId)).toEqual(slots.map((s) => s.slotId));
      expect(p.text()).toContain(slots[0]!.when);
      expect(p.text()).toContain('到中心面谈 · 街道公共法律服务中心 1 号接待室');
      expect(p.text()).toContain('电话咨询 · 电话咨询（律师致电您）');
    },
    'pages/legal/book/index': undefined, // the consultation test below
    'pages/legal/mine/index': undefined, // the consultation test below
    'pages/legal/duty/index': async () => {
      phone('dev-legal-1');
      const p = await sim.open('pages/legal/duty/index');
      expect(p.text()).toMatch(/本月预约 \d+ 人次，已咨询 \d+，未到 \d+；转法律援助 \d+，转调解 \d+/);
      expect(p.data.items.length).toBeGreaterThan(0);
      expect(p.data.items[0].booked).toMatch(/^\d+ \/ \d+ 人已预约$/);
    },
    'pages/legal/slot/index': undefined, // the consultation test below
    'pages/legal/aid-apply/index': undefined, // the legal-aid test below
    'pages/legal/mediation-apply/index': undefined, // the mediation test below
    'pages/legal/cases/index': async () => {
      // The demo: resident-11 has two applications (one aided) and is asked to consent to a mediation and to confirm an agreement.
      phone('dev-resident-11');
      const p = await sim.open('pages/legal/cases/index');
      expect(p.data.cases.map((c: { action: string }) => c.action).sort()).toEqual(['请确认是否同意调解', '请确认调解协议']);
      expect(p.text()).toContain('法律援助 · 工伤赔偿');
      expect(p.text()).toContain('援助律师：新城法律援助工作站 陈明');
      expect(p.text()).toContain('法律援助 · 追索劳动报酬（欠薪）');
      expect(p.text()).toMatch(/\d+月\d+日（周.）前作出决定/);
    },
    'pages/legal/aid/index': undefined, // the legal-aid test below
    'pages/legal/case/index': undefined, // the mediation test below
    'pages/legal/desk/index': async () => {
      phone('dev-legal-1');
      const p = await sim.open('pages/legal/desk/index');
      expect(p.text()).toMatch(/本月法律援助申请 \d+ 件，给予 \d+、不予 \d+/);
      // To decide, earliest deadline first; then the mediation cases by stage.
      const deadlines = (await as('dev-legal-1', 'GET', '/v1/legal/aid?status=submitted&limit=100')).items.map((a: { applicationId: string }) => a.applicationId);
      expect(p.data.items.map((r: { id: string }) => r.id)).toEqual(deadlines.slice(0, p.data.items.length));
      await p.comp.instance.onTab({ currentTarget: { dataset: { key: 'case:agreed' } } });
      expect(p.text()).toContain('人民调解 · 借贷纠纷');
      expect(p.text()).toContain('协议待各方确认');
    },
    'pages/work/console-login/index': async () => {
      // The console's QR code, scanned by a grid worker: who and where first, then one tap.
      const login = (await t.call('POST', '/v1/console/logins')).body as { loginId: string; pollSecret: string; qrText: string };
      const worker = phone('dev-gw-G001-ft', { scanResult: login.qrText });
      const me = await as('dev-gw-G001-ft', 'GET', '/v1/me');
      const home = await sim.open('pages/me/home/index');
      expect(home.data.rows.map((r: { title: string }) => r.title)).toContain('扫码登录指挥中心');
      const p = await sim.open('pages/work/console-login/index');
      expect(p.text()).toContain(me.name);
      expect(p.text()).toContain('网格员');
      expect(p.text()).toContain('可查看：幸福社区第1网格');
      // Nothing is approved until the scan and the tap.
      expect((await t.call('POST', `/v1/console/logins/${login.loginId}/poll`, { body: { pollSecret: login.pollSecret } })).body.status).toBe('pending');
      await p.tap('.scan');
      expect(p.data.loginId).toBe(login.loginId);
      await p.tap('.approve');
      expect(worker.toasts.at(-1)?.title).toBe('已确认登录');
      expect(p.text()).toContain('已登录');
      const session = await t.call('POST', `/v1/console/logins/${login.loginId}/poll`, { body: { pollSecret: login.pollSecret } });
      expect(session.body).toMatchObject({ status: 'approved', user: { userId: 'gw-G001-ft' } });

      // Another QR code is not taken for a login.
      phone('dev-gw-G001-ft', { scanResult: 'https://example.com/not-ours' });
      const other = await sim.open('pages/work/console-login/index');
      await other.tap('.scan');
      expect(other.data.loginId).toBe('');
      expect(other.text()).toContain('这不是指挥中心的登录二维码');

      // A resident has no console: said plainly, no button.
      phone('dev-resident-1');
      const resident = await sim.open('pages/work/console-login/index');
      expect(resident.text()).toContain('不是工作人员账号');
      expect(resident.comp.querySelectorAll('.scan')).toHaveLength(0);
    },
  };
  for (const [page, check] of Object.entries(renders)) if (check) it(page, check);
});

describe('a resident applies for a job', () => {
  it('applies on the job page, sees it in 我的求职, and the employer moves it to interview', async () => {
    const job = (await t.call('GET', '/v1/jobs?employerId=W01')).body.items[0];
    const resident = phone('dev-resident-11');
    const detail = await sim.open('pages/jobs/detail/index', { jobId: job.jobId });
    await detail.fire('.note', 'input', { value: '可以上夜班' });
    detail.comp.querySelector('.apply').dispatchEvent('tap');
    await detail.tap('.apply'); // a double tap: the page is busy after the first, so one application is sent
    expect(resident.requests.filter((r) => r.method === 'POST' && r.url.endsWith(`/v1/jobs/${job.jobId}/applications`))).toHaveLength(1);
    // Asked, inside the tap, to be told how the application goes (a WeChat subscribe message).
    expect(resident.subscriptions).toEqual([['local-application_status']]);
    expect(detail.text()).toContain(`已投递：${job.title}`);
    expect(detail.comp.querySelector('.apply')).toBeFalsy();
    expect(resident.toasts.at(-1)).toEqual({ title: '已投递', icon: 'success' });

    // Applying twice (a resend, a second tap on another phone) is refused with a clear message.
    const again = await sim.open('pages/jobs/detail/index', { jobId: job.jobId });
    await again.tap('.apply');
    expect(resident.toasts.at(-1)!.icon).toBe('none');
    expect(resident.toasts.at(-1)!.title).toMatch(/已经|已投递|重复/);

    const mine = await sim.open('pages/jobs/applications/index');
    const row = mine.data.items.find((a: { jobId: string }) => a.jobId === job.jobId);
    expect(row).toMatchObject({ title: job.title, statusName: '已投递', canWithdraw: true });

    phone('dev-employer-W01');
    const applicants = await sim.open('pages/employer/applications/index', { jobId: job.jobId, title: job.title });
    const mineThere = applicants.data.items.find((a: { applicationId: string }) => a.applicationId === row.applicationId);
    expect(mineThere).toMatchObject({ note: '可以上夜班', statusName: '已投递' });
    expect(mineThere.steps.map((s: { status: string }) => s.status)).toEqual(['viewed', 'interview', 'rejected']);
    const index = applicants.data.items.indexOf(mineThere);
    await applicants.tap(`.step-interview-${index}`);
    expect(applicants.data.items[index]).toMatchObject({ statusName: '约面试' });
    expect(applicants.text()).toContain('约面试');

    phone('dev-resident-11');
    const after = await sim.open('pages/jobs/applications/index');
    expect(after.data.items.find((a: { jobId: string }) => a.jobId === job.jobId)).toMatchObject({ statusName: '约面试' });
    await after.tap('.withdraw');
    expect(after.data.items.find((a: { jobId: string }) => a.jobId === job.jobId)).toMatchObject({ statusName: '已撤回', canWithdraw: false });
  });
});

/** An activity of team T01, created by its lead, starting in `startInMinutes`. */
async function newActivity(capacity: number, startInMinutes: number) {
  return as('dev-lead-T01', 'POST', '/v1/activities', {
    type: 'small_service',
    title: `理发义剪 ${capacity}-${startInMinutes}`,
    description: '为老人免费理发',
    startAt: inMinutes(startInMinutes),
    endAt: inMinutes(startInMinutes + 120),
    place: '社区服务中心',
    capacity,
    signupDeadline: inMinutes(startInMinutes - 5),
  });
}

describe('a volunteer signs up', () => {

  it('takes the last seat, cancels, and a second volunteer waits, is offered the seat and confirms it', async () => {
    const a = await newActivity(1, 24 * 60);
    const first = phone('dev-volunteer-1');
    const page = await sim.open('pages/activities/detail/index', { activityId: a.activityId });
    expect(page.text()).toContain('余 1 个名额');
    await page.tap('.sign-up');
    expect(first.subscriptions).toEqual([['local-signup_status', 'local-activity_reminder']]);
    expect(page.text()).toContain('您已报名成功');
    expect(page.text()).toContain('已满');

    // A second volunteer signs up: the activity is full, so they wait. (The lead, who sees the
    // check-in code, is not offered a sign-up at all.)
    await as('dev-admin-1', 'POST', '/v1/users/resident-16/role-changes', { action: 'grant', role: 'volunteer', reason: '登记为志愿者' });
    phone('dev-lead-T01');
    const leadPage = await sim.open('pages/activities/detail/index', { activityId: a.activityId });
    expect(leadPage.text()).toContain(`签到码：${a.checkinCode}`);
    // Digits only, for a number pad.
    expect(a.checkinCode).toMatch(/^\d{6}$/);
    // The code as a QR drawn with views: a square matrix, 21 modules for an 8-character code.
    expect(leadPage.comp.querySelectorAll('.qr-row')).toHaveLength(21);
    expect(leadPage.comp.querySelectorAll('.qr-cell')).toHaveLength(21 * 21);
    expect(leadPage.comp.querySelector('.sign-up')).toBeFalsy();
    phone('dev-resident-16');
    const secondPage = await sim.open('pages/activities/detail/index', { activityId: a.activityId });
    await secondPage.tap('.sign-up');
    expect(secondPage.text()).toContain('您在候补第 1 位');

    // The first volunteer cancels; the seat is offered to the second (through the sign-ups queue).
    const volunteer = phone('dev-volunteer-1');
    const again = await sim.open('pages/activities/detail/index', { activityId: a.activityId });
    await again.tap('.cancel');
    expect(volunteer.modals.at(-1)!.content).toContain('确定取消报名吗');
    expect(again.text()).toContain('您已取消报名');

    phone('dev-resident-16');
    await waitFor(async () => (await as('dev-resident-16', 'GET', `/v1/activities/${a.activityId}`)).myStatus === 'offered', 20_000, 'the seat offered');
    const offered = await sim.open('pages/activities/detail/index', { activityId: a.activityId });
    expect(offered.text()).toContain('有空出的名额留给您');
    await offered.tap('.confirm-seat');
    expect(offered.text()).toContain('您已报名成功');
  });

  it('checks in and out by scanning the lead\'s code; a wrong code is refused', async () => {
    const a = await newActivity(5, 10);
    const volunteer = phone('dev-volunteer-1', { scanResult: 'WRONG1' });
    const page = await sim.open('pages/activities/detail/index', { activityId: a.activityId });
    await page.tap('.sign-up');
    await page.tap('.check-in');
    expect(volunteer.toasts.at(-1)).toEqual({ title: '签到码不正确，请扫描现场的二维码', icon: 'none' });
    // The camera reads nothing: the page offers to type the code instead.
    volunteer.scanResult = '';
    expect(page.comp.querySelector('.manual-code')).toBeFalsy();
    await page.tap('.check-in');
    expect(volunteer.toasts.at(-1)!.title).toBe('没有扫到签到码，可以对准二维码再扫一次，或输入签到码');
    await page.fire('.manual-code', 'input', { value: a.checkinCode.toLowerCase() });
    await page.tap('.check-in');
    expect(volunteer.toasts.at(-1)).toEqual({ title: '签到成功', icon: 'success' });
    // Checked in: the page says so with the time; only 签退 is offered, no cancel, no second check-in.
    expect(page.text()).toMatch(/已签到（\d+月\d+日 \d\d:\d\d），活动结束时请扫码签退/);
    expect(page.text()).not.toContain('您已报名成功');
    expect(page.comp.querySelector('.check-in')).toBeFalsy();
    expect(page.comp.querySelector('.cancel')).toBeFalsy();
    expect(page.comp.querySelector('.check-out')).toBeTruthy();
    const mine = await sim.open('pages/activities/mine/index');
    expect(mine.data.items.find((s: { activityId: string }) => s.activityId === a.activityId).served).toMatch(/已签到$/);

    sim.current()!.scanResult = a.checkinCode;
    const back = await sim.open('pages/activities/detail/index', { activityId: a.activityId });
    await back.tap('.check-out');
    expect(volunteer.toasts.at(-1)).toEqual({ title: '签退成功', icon: 'success' });
    expect(back.text()).toMatch(/已签退，本次服务 .+，已计入您的志愿服务时长/);
    expect(back.comp.querySelector('.check-out')).toBeFalsy();
    const signup = (await as('dev-volunteer-1', 'GET', '/v1/me/signups?limit=50')).items.find((s: { activityId: string }) => s.activityId === a.activityId);
    expect(signup.checkedOutAt).toBeDefined();
  });
});

describe('no dead ends on an activity', () => {
  it('offers a resident who is not yet a volunteer to apply to the team; the lead approves; then they sign up', async () => {
    const a = await newActivity(5, 10);
    const resident = phone('dev-resident-14');
    const page = await sim.open('pages/activities/detail/index', { activityId: a.activityId });
    await page.tap('.sign-up');
    expect(resident.modals.at(-1)).toEqual({ title: '先成为志愿者', content: '报名志愿活动需要先成为志愿者。现在申请加入义诊志愿服务队吗？负责人审核通过后就能报名。' });
    expect(resident.toasts.map((t) => t.title)).not.toContain('您没有权限进行此操作');
    const link = resident.navigations.at(-1)!;
    expect(link).toBe(`/${links.joinTeam('T01', '义诊志愿服务队')}`);

    const [path, qs] = link.slice(1).split('?') as [string, string];
    const apply = await sim.open(path, Object.fromEntries(new URLSearchParams(qs)));
    expect(apply.text()).toContain('申请加入义诊志愿服务队');
    await apply.tap('.submit');
    expect(apply.text()).toContain('请选择什么时候有空');
    await apply.comp.querySelectorAll('.skill')[0].dispatchEvent('tap');
    await apply.fire('.availability', 'change', { value: 2 });
    expect(apply.comp.querySelector('.availability').dom.textContent.trim()).toBe('周末上午 ›');
    await apply.tap('.submit');
    expect(apply.text()).toContain('已向义诊志愿服务队提交申请');

    const lead = phone('dev-lead-T01');
    const pending = await sim.open('pages/lead/applications/index');
    const card = pending.data.items.find((x: { userId: string }) => x.userId === 'resident-14');
    expect(card).toMatchObject({ skills: '量血压', availability: '周末上午' });
    const index = pending.data.items.indexOf(card);
    await pending.comp.querySelectorAll('.approve')[index].dispatchEvent('tap');
    await sim.current()!.idle();
    expect(lead.toasts.at(-1)).toEqual({ title: '已通过，已成为志愿者', icon: 'success' });
    expect(pending.data.items.map((x: { userId: string }) => x.userId)).not.toContain('resident-14');

    // The resident's next call is refused with the old roles, renewed silently, and signs up.
    phone('dev-resident-14');
    const again = await sim.open('pages/activities/detail/index', { activityId: a.activityId });
    await again.tap('.sign-up');
    expect(again.text()).toContain('您已报名成功');
  });

  it('does not offer the team\'s lead a sign-up under their own check-in code', async () => {
    const a = await newActivity(5, 10);
    phone('dev-lead-T01');
    const page = await sim.open('pages/activities/detail/index', { activityId: a.activityId });
    expect(page.comp.querySelector('.checkin-code')).toBeTruthy();
    expect(page.comp.querySelector('.sign-up')).toBeFalsy();
    expect(page.text()).toContain('您是本队负责人：请在现场出示下面的签到码');
  });

  it('offers no certificate for no hours', async () => {
    phone('dev-resident-15');
    const page = await sim.open('pages/activities/mine/index');
    expect(page.data.certificate).toBe('');
    expect(page.text()).not.toContain('兹证明');
  });
});

describe('代办: a grid worker submits for a household member without a phone', () => {
  it('from 网格住户 to the form: chooses the member, submits, and the request is that person\'s', async () => {
    const worker = phone('dev-gw-G001-ft');
    const list = await sim.open('pages/work/households/index');
    const first = list.data.items[0] as { householdId: string; address: string };
    await list.tap('.on-behalf');
    expect(worker.navigations.at(-1)).toBe(`/pages/requests/new/index?householdId=${first.householdId}&gridId=G001`);
    const form = await sim.open('pages/requests/new/index', { householdId: first.householdId, gridId: 'G001' });
    expect(form.text()).toContain(`代办：${first.address}`);
    const members = form.data.onBehalf.members as { personId: string; label: string }[];
    expect(members.map((m) => m.personId)).toEqual([`${first.householdId}-1`, `${first.householdId}-2`, `${first.householdId}-3`]);
    const types = form.data.types.map((x: { code: string }) => x.code);
    await form.fire('.type-picker', 'change', { value: types.indexOf('livelihood') });
    await form.fire('.description', 'input', { value: '老人家里的水管漏水，她没有手机' });
    await form.fire('.control-category .answer', 'change', { value: 0 });
    await form.fire('.control-location .answer', 'input', { value: '1栋1单元100室' });
    // Who it is for comes first.
    await form.tap('.submit');
    expect(form.text()).toContain('请选择为哪位成员代办');
    expect(worker.scrolls.at(-1)).toBe('.member-picker');
    await form.fire('.member-picker', 'change', { value: 0 });
    expect(form.text()).toContain(`为谁代办*：${members[0]!.label}`);
    // The second member of the household uses the app (registered with the roster's number).
    const spouse = demoRoster(256).split('\n').map((l) => l.split(',')).filter((c) => c[0] === first.householdId)[1]!;
    await as('dev-resident-17', 'PATCH', '/v1/me', { phone: spouse[9] });
    await form.tap('.submit');
    expect(form.text()).toMatch(/已提交，编号 R\d{6}[0-9A-Z]{6}/);
    const sent = worker.requests.filter((r) => r.method === 'POST' && r.url.endsWith(`/v1/households/${first.householdId}/requests`));
    expect(sent).toHaveLength(1);
    const requestId = /编号 (R\w+)/.exec(form.text())![1]!;
    const view = await as('dev-gw-G001-ft', 'GET', `/v1/requests/${requestId}`);
    expect(view).toMatchObject({ requesterId: `person-${first.householdId}-${first.householdId}-1`, onBehalfOf: { name: members[0]!.label.split('（')[0] } });
    // …and finds it in 我的诉求, saying for whom and by whom.
    phone('dev-resident-17');
    const mine = await sim.open('pages/requests/mine/index');
    expect(mine.data.items.map((i: { requestId: string }) => i.requestId)).toContain(requestId);
    expect(mine.text()).toContain(`代${members[0]!.label.split('（')[0]}办理`);
  });
});

describe('a resident submits a request and a grid worker handles it', () => {
  it('submits through the form generated from the catalogue and sees it in 我的诉求', async () => {
    const resident = phone('dev-resident-1');
    const form = await sim.open('pages/requests/new/index');
    const types = form.data.types.map((x: { code: string }) => x.code);
    await form.fire('.type-picker', 'change', { value: types.indexOf('livelihood') });
    expect(form.data.controls.map((c: { code: string }) => c.code)).toEqual(['category', 'location', 'urgent']);
    await form.tap('.submit');
    expect(form.text()).toContain('请简单描述一下情况（至少 5 个字）');
    expect(form.text()).toContain('请填写「问题类别」');
    // Taken to the first thing to fix.
    expect(resident.scrolls.at(-1)).toBe('.description');
    expect(resident.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/v1/requests'))).toHaveLength(0);
    expect(resident.subscriptions).toEqual([]);

    await form.fire('.description', 'input', { value: '楼道灯坏了一个星期' });
    await form.fire('.control-category .answer', 'change', { value: 0 });
    // The picker shows the choice itself.
    expect(form.comp.querySelector('.control-category .answer').dom.textContent.trim()).toBe('用水 ›');
    await form.fire('.control-location .answer', 'input', { value: '3栋1单元' });
    // Two taps in a row (an impatient finger): one request.
    form.comp.querySelector('.submit').dispatchEvent('tap');
    await form.tap('.submit');
    expect(resident.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/v1/requests'))).toHaveLength(1);
    expect(resident.subscriptions).toEqual([['local-request_status']]);
    expect(form.text()).toMatch(/已提交，编号 R\d{6}[0-9A-Z]{6}/);
    const requestId = /编号 (R\w+)/.exec(form.text())![1]!;

    const mine = await sim.open('pages/requests/mine/index');
    expect(mine.data.items[0]).toMatchObject({ requestId, typeName: '民生诉求', summary: '楼道灯坏了一个星期' });
  });

  it('the worker accepts and escalates from the inbox; the community sees it; the resident follows the timeline and rates it', async () => {
    const requestId = await routedRequest('小区门口的井盖松动了');
    phone('dev-gw-G001-ft');
    const inbox = await sim.open('pages/work/inbox/index');
    expect(inbox.data.items.map((q: { requestId: string }) => q.requestId)).toContain(requestId);

    const detail = await sim.open('pages/requests/detail/index', { requestId, as: 'handler' });
    expect(detail.data.q.actions.map((a: { action: string }) => a.action)).toEqual(['accept', 'escalate', 'comment']);
    // One primary action (the one expected next), the rest plain; the resident's answers as asked.
    expect(detail.comp.querySelectorAll('.actions .weui-btn_primary').map((b: { dom: { textContent: string } }) => b.dom.textContent)).toEqual(['受理']);
    expect(detail.comp.querySelectorAll('.actions .weui-btn_default').map((b: { dom: { textContent: string } }) => b.dom.textContent)).toEqual(['上报', '留言']);
    expect(detail.data.q.answers).toEqual([{ label: '问题类别', value: '用水' }, { label: '具体位置', value: '1栋2单元' }]);
    expect(detail.text()).toContain('问题类别：用水');
    expect(detail.comp.querySelector('.status').dom.className).toContain('tone-waiting');
    await detail.tap('.action-accept');
    expect(detail.comp.querySelector('.status').dom.textContent).toBe('办理中');
    // The one who accepted is named on the request.
    const worker = await as('dev-gw-G001-ft', 'GET', '/v1/me');
    expect(detail.text()).toContain(`办理人：${worker.name}（网格员）`);
    // The worker calls the resident: the number is revealed on that tap only, and the reveal is audited.
    const workerPhone = sim.current()!;
    const resident1 = await as('dev-resident-1', 'GET', '/v1/me');
    await detail.tap('.contact-requester');
    expect(workerPhone.modals.at(-1)!.content).toContain('查看居民的电话会留下记录');
    expect(resident1.phoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$/);
    expect(workerPhone.calls.at(-1)).toMatch(/^1[3-9]\d{9}$/);
    expect(workerPhone.calls.at(-1)!.slice(-4)).toBe(resident1.phoneMasked.slice(-4));
    const audits = await ddb().send(
      new QueryCommand({ TableName: config().TABLE_NAME, IndexName: 'byLookup', KeyConditionExpression: 'lookupPk = :p', ExpressionAttributeValues: { ':p': keys.auditByTargetPartition('user', 'resident-1') } }),
    );
    expect(audits.Items!.map((i) => [i.action, i.actorId, i.detail.reason])).toContainEqual(['pii.reveal', 'gw-G001-ft', `办理诉求 ${requestId}`]);
    expect(detail.data.q.actions.map((a: { action: string }) => a.action)).toEqual(['resolve', 'escalate', 'comment']);

    await detail.tap('.action-escalate');
    await detail.tap('.submit-action');
    expect(detail.text()).toContain('请填写上报原因');
    await detail.fire('.form-text', 'input', { value: '需要市政维修' });
    await detail.tap('.submit-action');
    expect(detail.comp.querySelector('.status').dom.textContent).toBe('待受理');
    expect(detail.data.q.timeline[0].text).toBe('上报至社区：需要市政维修');

    const inboxAfter = await sim.open('pages/work/inbox/index');
    expect(inboxAfter.data.items.map((q: { requestId: string }) => q.requestId)).not.toContain(requestId);
    phone('dev-cs-C01');
    const community = await sim.open('pages/work/inbox/index');
    expect(community.data.items.map((q: { requestId: string }) => q.requestId)).toContain(requestId);

    // Community staff accept and resolve it; the resident confirms and rates it.
    const handling = await sim.open('pages/requests/detail/index', { requestId, as: 'handler' });
    await handling.tap('.action-accept');
    await handling.tap('.action-resolve');
    await handling.fire('.form-text', 'input', { value: '已联系市政更换井盖' });
    await handling.tap('.submit-action');
    expect(handling.comp.querySelector('.status').dom.textContent).toBe('已办结待确认');

    phone('dev-resident-1');
    const mine = await sim.open('pages/requests/detail/index', { requestId, as: 'requester' });
    expect(mine.data.q.actions.map((a: { action: string }) => a.action)).toEqual(['confirm', 'reopen', 'rate', 'comment']);
    expect(mine.text()).toMatch(/请在 \d+月\d+日 \d\d:\d\d 前确认；逾期未确认，系统将自动办结/);
    expect(mine.data.q.timeline.map((e: { text: string }) => e.text)).toContain('办结（已解决）：已联系市政更换井盖');
    await mine.tap('.action-confirm');
    expect(mine.comp.querySelector('.status').dom.textContent).toBe('已关闭');
    expect(mine.comp.querySelector('.status').dom.className).toContain('tone-done');
    await mine.tap('.action-rate');
    // Fewer stars, then more again: every star stays there to be chosen.
    const stars = () => mine.comp.querySelector('.rating').querySelectorAll('.star');
    await stars()[1].dispatchEvent('tap');
    await sim.current()!.idle();
    expect(stars().map((x: { dom: { className: string } }) => x.dom.className.includes('star-on'))).toEqual([true, true, false, false, false]);
    await stars()[3].dispatchEvent('tap');
    await sim.current()!.idle();
    await mine.fire('.form-text', 'input', { value: '很及时' });
    await mine.tap('.submit-action');
    expect(mine.text()).toContain('评价：★★★★ 很及时');
    expect(mine.data.q.actions.map((a: { action: string }) => a.action)).toEqual([]);
  });
});

describe('photos on a request', () => {
  it('adds two photos, removes one, submits; the worker sees the photo that was sent', async () => {
    const resident = phone('dev-resident-1');
    const form = await sim.open('pages/requests/new/index');
    await form.fire('.type-picker', 'change', { value: form.data.types.findIndex((x: { code: string }) => x.code === 'other') });
    await form.fire('.description', 'input', { value: '小区健身器材坏了，有安全隐患' });
    resident.photosToPick = 2;
    await form.tap('.add-photos');
    expect(form.comp.querySelectorAll('.photo')).toHaveLength(2);
    await form.tap('.remove');
    expect(form.data.photos).toHaveLength(1);
    await form.tap('.submit');
    expect(form.text()).toMatch(/已提交，编号 R\w+/);
    expect(resident.uploads).toHaveLength(1);
    const requestId = /编号 (R\w+)/.exec(form.text())![1]!;
    const sent = await as('dev-resident-1', 'GET', `/v1/requests/${requestId}`);
    expect(resident.uploads[0]!.key).toMatch(/^pending\/resident-1\//);
    expect(sent.photos).toEqual([`requests/${requestId}/1.jpg`]);

    await waitFor(async () => (await as('dev-resident-1', 'GET', `/v1/requests/${requestId}`)).status === 'assigned', 20_000, 'routing');
    phone('dev-gw-G001-ft');
    const detail = await sim.open('pages/requests/detail/index', { requestId, as: 'handler' });
    const images = detail.comp.querySelectorAll('.photo');
    expect(images).toHaveLength(1);
    const src = detail.data.q.photos[0] as string;
    const bytes = Buffer.from(await (await fetch(src)).arrayBuffer());
    expect(bytes).toEqual(simulatedPhoto);
  });

  it('keeps a request with a photo made offline; on reconnect uploads the photo and sends the request once', async () => {
    const resident = phone('dev-resident-13');
    sim.launchApp();
    const form = await sim.open('pages/requests/new/index');
    await form.fire('.type-picker', 'change', { value: form.data.types.findIndex((x: { code: string }) => x.code === 'other') });
    await form.fire('.description', 'input', { value: '断网时拍照提交：垃圾没人清运' });
    await form.tap('.add-photos');
    resident.setOnline(false);
    await form.tap('.submit');
    expect(form.text()).toContain('暂时提交不了（网络不好或系统繁忙），已保存在手机上，稍后自动提交');
    expect(resident.uploads).toHaveLength(0);

    resident.setOnline(true);
    await resident.idle();
    expect(resident.uploads).toHaveLength(1);
    const mine = (await as('dev-resident-13', 'GET', '/v1/me/requests?limit=50')).items.filter((q: { description: string }) => q.description === '断网时拍照提交：垃圾没人清运');
    expect(mine).toHaveLength(1);
    expect(mine[0].photos).toEqual([`requests/${mine[0].requestId}/1.jpg`]);
  });
});

describe('a dispute is mediated', () => {
  it('the grid worker records the parties and the agreement, then a follow-up visit; the resident sees them', async () => {
    const created = await as('dev-resident-2', 'POST', '/v1/requests', { typeCode: 'dispute_mediation', description: '楼上邻居装修漏水到我家，协商不成', fields: { disputeKind: 'neighbours', otherParty: '502 住户' } });
    const requestId = created.requestId as string;
    await waitFor(async () => (await as('dev-resident-2', 'GET', `/v1/requests/${requestId}`)).status === 'assigned', 20_000, 'routing');
    const owner = (await as('dev-resident-2', 'GET', `/v1/requests/${requestId}`)).assigneeId ?? 'gw-G002-ft';
    phone(`dev-${owner}`);
    const page = await sim.open('pages/requests/detail/index', { requestId, as: 'handler' });
    await page.tap('.action-accept');
    expect(page.data.q.actions.map((a: { action: string }) => a.action)).toEqual(['resolve', 'mediation', 'escalate', 'comment']);

    await page.tap('.action-mediation');
    await page.fire('.parties', 'input', { value: '402 住户，502 住户' });
    await page.fire('.form-text', 'input', { value: '502 住户负责修复防水并赔偿 800 元' });
    await page.tap('.submit-action');
    expect(page.text()).toContain('当事人：402 住户、502 住户；调解协议：502 住户负责修复防水并赔偿 800 元');
    expect(page.data.q.actions.map((a: { action: string }) => a.action)).toEqual(['resolve', 'mediation', 'follow_up', 'escalate', 'comment']);

    await page.tap('.action-follow_up');
    await page.fire('.form-text', 'input', { value: '防水已修好，赔偿已付清' });
    await page.tap('.submit-action');
    expect(page.text()).toContain('已回访 1 次');
    expect(page.data.q.timeline.map((e: { text: string }) => e.text).slice(0, 2)).toEqual(['回访：防水已修好，赔偿已付清', '达成调解协议：502 住户负责修复防水并赔偿 800 元']);

    phone('dev-resident-2');
    const mine = await sim.open('pages/requests/detail/index', { requestId, as: 'requester' });
    expect(mine.text()).toContain('调解协议：502 住户负责修复防水并赔偿 800 元');
    expect(mine.data.q.actions.map((a: { action: string }) => a.action)).toEqual(['comment']);
  });
});

describe('法律咨询 with the duty lawyer', () => {
  it('a resident books a slot, moves it, and the lawyer records the consultation once it has begun', async () => {
    const resident = phone('dev-resident-5');
    const home = await sim.open('pages/services/all/index');
    expect(home.data.services.map((e: { title: string }) => e.title)).toContain('法律咨询');

    const list = await sim.open('pages/legal/slots/index');
    const [first, second] = list.data.items as { slotId: string; when: string }[];
    await list.tap('.slot');
    const url = resident.navigations.at(-1)!;
    expect(url.startsWith(`/pages/legal/book/index?slotId=${first!.slotId}`)).toBe(true);
    const form = await sim.open('pages/legal/book/index', Object.fromEntries(new URLSearchParams(url.split('?')[1])));
    expect(form.text()).toContain(first!.when);
    // Nothing chosen: said beside the choice, nothing sent.
    await form.tap('.submit');
    expect(form.text()).toContain('请选择咨询的事项');
    await form.tap('.choice-labour');
    expect(form.comp.querySelector('.choice-labour').dom.className).toContain('chosen');
    await form.fire('.description', 'input', { value: '老板' });
    await form.tap('.submit');
    expect(form.text()).toContain('请简单说说想咨询什么（至少 5 个字）');
    await form.fire('.description', 'input', { value: '在工地干了三个月，老板一直拖欠工资' });
    await form.tap('.submit');
    expect(form.text()).toContain('预约成功');
    expect(resident.subscriptions.at(-1)).toEqual(['local-consultation_reminder']);

    const mine = await sim.open('pages/legal/mine/index');
    expect(mine.text()).toContain(first!.when);
    expect(mine.text()).toContain('劳动争议（欠薪、工伤）：在工地干了三个月，老板一直拖欠工资');
    expect(mine.text()).toContain('已预约');
    // 改约: the slots again, then the new one, confirmed.
    await mine.tap('.move');
    expect(resident.navigations.at(-1)).toBe(`/pages/legal/slots/index?moveFrom=${first!.slotId}`);
    const choose = await sim.open('pages/legal/slots/index', { moveFrom: first!.slotId });
    // The second slot's card, as a tap on it delivers its data-id.
    await choose.comp.instance.open({ currentTarget: { dataset: { id: second!.slotId } } });
    expect(resident.modals.at(-1)!.content).toContain(`改到 ${second!.when}`);
    expect(resident.toasts.at(-1)).toEqual({ title: '已改约', icon: 'success' });
    const moved = (await as('dev-resident-5', 'GET', '/v1/me/consultations')).items as { slotId: string; status: string }[];
    expect(moved.map((b) => [b.slotId, b.status]).sort()).toEqual([[first!.slotId, 'cancelled'], [second!.slotId, 'booked']].sort());

    // The lawyer: a slot under way, booked by this resident an hour before it began.
    const officer = { userId: 'legal-1', roles: ['legal_officer' as const] };
    const earlier = new Date(Date.now() - 3600_000);
    const slot = await createSlot(officer, { startAt: new Date(Date.now() - 60_000).toISOString(), endAt: new Date(Date.now() + 3600_000).toISOString(), mode: 'in_person', place: '街道公共法律服务中心 1 号接待室', lawyerName: '陈律师', capacity: 2 }, earlier);
    await book({ userId: 'resident-5', roles: ['resident'] }, slot.slotId, { category: 'neighbour', description: '楼上漏水，邻居不肯维修' }, earlier);
    const lawyer = phone('dev-legal-1');
    const page = await sim.open('pages/legal/slot/index', { slotId: slot.slotId });
    const name = (await as('dev-resident-5', 'GET', '/v1/me')).name as string;
    expect(page.text()).toContain(name);
    expect(page.text()).toContain('邻里纠纷：楼上漏水，邻居不肯维修');
    await page.tap('.record');
    await page.tap('.held');
    expect(page.text()).toContain('请记录给出的法律意见（至少 5 个字）');
    await page.fire('.advice-input', 'input', { value: '可先申请人民调解，调解不成再起诉' });
    await page.fire('.outcome', 'change', { value: 2 });
    await page.tap('.held');
    expect(lawyer.toasts.at(-1)).toEqual({ title: '已记录', icon: 'success' });
    expect(page.text()).toContain('已咨询（转人民调解）');
    expect(page.text()).toContain('律师意见：可先申请人民调解，调解不成再起诉');

    // A phone consultation: the lawyer calls the resident from the booking (the number revealed for it, audited).
    const byPhone = await createSlot(officer, { startAt: new Date(Date.now() - 60_000).toISOString(), endAt: new Date(Date.now() + 3600_000).toISOString(), mode: 'phone', place: '电话咨询（律师致电您）', lawyerName: '罗律师', capacity: 2 }, earlier);
    await book({ userId: 'resident-6', roles: ['resident'] }, byPhone.slotId, { category: 'debt', description: '借给亲戚的钱要不回来' }, earlier);
    const caller = phone('dev-legal-1');
    const callPage = await sim.open('pages/legal/slot/index', { slotId: byPhone.slotId });
    await callPage.tap('.call');
    const own = await as('dev-resident-6', 'POST', '/v1/users/resident-6/contact-reveals', { field: 'phone', reason: '看自己的号码' });
    expect(caller.calls.at(-1)).toBe(own.value);

    // The resident reads the advice.
    phone('dev-resident-5');
    const after = await sim.open('pages/legal/mine/index');
    expect(after.text()).toContain('律师意见：可先申请人民调解，调解不成再起诉');
  });
});

describe('法律援助 and 人民调解', () => {
  it('a 低保 resident applies for legal aid with a photo; the centre decides; the resident sees the lawyer', async () => {
    const hardshipId = demoRoster(1).split('\n')[1]!.split(',')[8]!;
    const resident = phone('dev-resident-15');
    const home = await sim.open('pages/services/all/index');
    expect(home.data.services.map((e: { title: string }) => e.title)).toEqual(expect.arrayContaining(['申请法律援助', '申请人民调解', '我的援助与调解']));
    const form = await sim.open('pages/legal/aid-apply/index');
    await form.tap('.submit');
    expect(form.text()).toContain('请选择申请援助的事项');
    expect(resident.scrolls.at(-1)).toBe('.matters');
    await form.tap('.matter-wages');
    await form.fire('.id-number', 'input', { value: '52000019500101001' });
    await form.fire('.situation', 'input', { value: '工地拖欠工资' });
    await form.tap('.submit');
    // The server's own words, beside each field.
    expect(form.text()).toContain('身份证号码不正确（18 位，最后一位可能是 X）');
    expect(form.text()).toContain('请说明事情经过和您的困难（至少 20 个字）');
    await form.fire('.id-number', 'input', { value: hardshipId });
    await form.fire('.situation', 'input', { value: '在县城工地做了四个月钢筋工，包工头拖欠工资两万三千元，多次讨要无果。' });
    await form.fire('.claim', 'input', { value: '追回被拖欠的工资' });
    await form.tap('.add-photos');
    await form.tap('.submit');
    expect(form.text()).toContain('申请已提交');
    expect(form.text()).toContain('免予核查（花名册登记为低保户）');
    expect(form.text()).toMatch(/法律援助中心将在 \d+月\d+日（周.）前作出决定/);
    expect(resident.uploads).toHaveLength(1);
    expect(resident.subscriptions.at(-1)).toEqual(['local-legal_case']);
    const id = form.data.done.id as string;

    // The centre's officer decides: aid, with the lawyer.
    const officer = phone('dev-legal-1');
    const page = await sim.open('pages/legal/aid/index', { id });
    expect(page.text()).toContain('经济困难：免予核查（花名册登记为低保户）');
    expect(page.data.a.photoUrls).toHaveLength(1);
    await page.tap('.decision-accept');
    await page.tap('.submit-decision');
    expect(page.text()).toContain('请填写指派的援助律师');
    await page.fire('.lawyer-name', 'input', { value: '陈明' });
    await page.fire('.law-firm', 'input', { value: '新城法律援助工作站' });
    await page.tap('.submit-decision');
    expect(officer.toasts.at(-1)).toEqual({ title: '已作出决定', icon: 'success' });
    expect(page.text()).toContain('已给予法律援助');

    phone('dev-resident-15');
    const mine = await sim.open('pages/legal/aid/index', { id });
    expect(mine.text()).toContain('新城法律援助工作站 陈明');
    // A resident sees no decision form.
    expect(mine.comp.querySelectorAll('.decide')).toHaveLength(0);
  });

  it('a resident applies for mediation; the other side consents in the app; the officer accepts and drafts the agreement; both confirm, and the PDF opens', async () => {
    const otherPhone = demoUsers().find((u) => u.userId === 'resident-19')!.phone!;
    phone('dev-resident-16');
    const form = await sim.open('pages/legal/mediation-apply/index');
    await form.tap('.category-neighbour');
    await form.fire('.facts', 'input', { value: '楼上住户家里卫生间漏水，把我家厨房的吊顶泡坏了，找他们几次都不肯修。' });
    await form.fire('.claim', 'input', { value: '请对方修好漏水并赔偿损失' });
    await form.fire('.other-name', 'input', { value: '王建国' });
    await form.fire('.other-phone', 'input', { value: '1380000' });
    await form.tap('.submit');
    expect(form.text()).toContain('手机号码应为 11 位数字');
    await form.fire('.other-phone', 'input', { value: otherPhone });
    await form.tap('.submit');
    expect(form.text()).toContain('已请王建国在小程序里确认是否同意调解');
    const id = form.data.done.id as string;

    // The other side: asked in their list, consents on the case page.
    const other = phone('dev-resident-19');
    const cases = await sim.open('pages/legal/cases/index');
    expect(cases.data.cases[0]).toMatchObject({ id, action: '请确认是否同意调解' });
    const asked = await sim.open('pages/legal/case/index', { id });
    await asked.tap('.consent');
    expect(other.modals.at(-1)!.title).toBe('同意调解');
    expect(other.toasts.at(-1)).toEqual({ title: '已同意调解', icon: 'success' });
    expect(asked.comp.querySelectorAll('.consent')).toHaveLength(0);

    // The officer accepts with two mediators, then drafts the agreement.
    phone('dev-legal-1');
    const run = await sim.open('pages/legal/case/index', { id });
    expect(run.data.actions.map((a: { key: string }) => a.key)).toEqual(['accept', 'decline']);
    await run.tap('.action-accept');
    await run.fire('.mediators', 'input', { value: '李秀芳、张国强' });
    await run.tap('.submit-action');
    expect(run.text()).toContain('调解员：李秀芳、张国强');
    expect(run.text()).toContain('调解中');
    await run.tap('.action-agreement');
    await run.fire('.facts', 'input', { value: '被申请人家卫生间防水层破损漏水，致申请人厨房吊顶损坏。' });
    await run.fire('.dispute', 'input', { value: '维修和赔偿，由被申请人负责。' });
    await run.comp.instance.onObligationParty({ currentTarget: { dataset: { index: 0, id: 'B1' } } });
    await run.fire('.what', 'input', { value: '赔偿吊顶损失八百元' });
    await run.fire('.how', 'input', { value: '微信转账' });
    await run.comp.instance.onObligation({ currentTarget: { dataset: { index: 0, key: 'by' } }, detail: { value: '2099-12-31' } });
    await run.tap('.submit-action');
    expect(run.text()).toContain('协议待各方确认');
    expect(run.text()).toContain('1. 王建国赔偿吊顶损失八百元；微信转账；2099年12月31日前');

    // Each party opens the agreement's PDF and confirms.
    for (const openid of ['dev-resident-16', 'dev-resident-19']) {
      const party = phone(openid);
      const page = await sim.open('pages/legal/case/index', { id });
      await page.tap('.open-pdf');
      expect(party.documents.at(-1)!.fileType).toBe('pdf');
      expect(party.documents.at(-1)!.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      await page.tap('.confirm');
      expect(party.toasts.at(-1)).toEqual({ title: '已确认', icon: 'success' });
    }
    const done = await sim.open('pages/legal/case/index', { id });
    expect(done.text()).toContain('调解成功');
    expect(done.text()).toContain('30 日内共同向人民法院申请司法确认');
  });

  it('a consultation that became mediation leads to the application, linked to it', async () => {
    const officer = { userId: 'legal-1', roles: ['legal_officer' as const] };
    const earlier = new Date(Date.now() - 3600_000);
    const slot = await createSlot(officer, { startAt: new Date(Date.now() - 60_000).toISOString(), endAt: new Date(Date.now() + 3600_000).toISOString(), mode: 'in_person', place: '街道公共法律服务中心 1 号接待室', lawyerName: '陈律师', capacity: 2 }, earlier);
    await book({ userId: 'resident-18', roles: ['resident'] }, slot.slotId, { category: 'neighbour', description: '邻居占用楼道堆放杂物' }, earlier);
    await as('dev-legal-1', 'POST', `/v1/legal/slots/${slot.slotId}/bookings/resident-18/record`, { attended: true, advice: '建议申请人民调解', outcome: 'mediation' });
    const resident = phone('dev-resident-18');
    const mine = await sim.open('pages/legal/mine/index');
    await mine.tap('.next');
    expect(resident.navigations.at(-1)).toBe(`/pages/legal/mediation-apply/index?fromSlotId=${slot.slotId}`);
    const form = await sim.open('pages/legal/mediation-apply/index', { fromSlotId: slot.slotId });
    await form.tap('.category-neighbour');
    await form.fire('.facts', 'input', { value: '邻居长期占用楼道堆放杂物，老人进出很不方便，说了几次都不听。' });
    await form.fire('.claim', 'input', { value: '请邻居清理楼道的杂物' });
    await form.fire('.other-name', 'input', { value: '赵德明' });
    await form.tap('.submit');
    expect(form.text()).toContain('调解申请已提交');
    expect(form.text()).toContain('调解员会联系赵德明，征得同意后安排调解');
    // The consultation now opens the case.
    const again = await sim.open('pages/legal/mine/index');
    await again.tap('.next');
    expect(resident.navigations.at(-1)).toBe(`/pages/legal/case/index?id=${form.data.done.id}`);
  });
});

describe('a grid worker logs a visit', () => {
  it('opens a visit from the list, is told what is missing, then logs it with a colour proposal', async () => {
    const worker = phone('dev-gw-G001-ft');
    const visits = await sim.open('pages/work/visits/index');
    const before = visits.comp.querySelectorAll('.visit').length;
    await visits.tap('.visit');
    const url = worker.navigations.at(-1)!;
    expect(url).toMatch(/^\/pages\/work\/visit-log\/index\?visitId=/);
    const query = Object.fromEntries(new URLSearchParams(url.split('?')[1]));
    const log = await sim.open('pages/work/visit-log/index', query);
    expect(log.text()).toContain(query.address);

    await log.tap('.submit');
    expect(log.text()).toContain('请填写走访情况');
    expect(worker.toasts.at(-1)!.icon).toBe('none');

    await log.fire('.notes', 'input', { value: '老人腿脚不便，儿子在外务工' });
    await log.fire('.findings', 'change', { value: ['缺少劳动力'] });
    await log.fire('.colour', 'change', { value: 1 });
    await log.fire('.reason', 'input', { value: '独居且行动不便' });
    await log.tap('.submit');
    expect(log.text()).toContain('已记录');
    expect(worker.toasts.at(-1)).toEqual({ title: '走访已记录', icon: 'success' });

    const after = await sim.open('pages/work/visits/index');
    expect(after.comp.querySelectorAll('.visit')).toHaveLength(before - 1);
  });
});

describe('employers and leads post from their phones', () => {
  const posts = (p: Phone, path: string) => p.requests.filter((r) => r.method === 'POST' && r.url.endsWith(path));

  it('an employer posts a job through the form, residents see it, and the employer stops it', async () => {
    const employer = phone('dev-employer-W01');
    const list = await sim.open('pages/employer/jobs/index');
    const before = list.data.items.length;
    await list.tap('.post');
    expect(employer.navigations.at(-1)).toBe('/pages/employer/job-form/index');
    list.comp.instance.onHide();

    const form = await sim.open('pages/employer/job-form/index');
    await form.tap('.publish');
    expect(form.text()).toContain('请填写岗位名称');
    expect(form.text()).toContain('请填写工资范围（整数）');
    expect(posts(employer, '/v1/jobs')).toHaveLength(0);

    await form.fire('.title', 'input', { value: '电子元件计件工' });
    await form.fire('.description', 'input', { value: '在车间组装电子元件，有师傅带，不需要经验' });
    await form.fire('.unit', 'change', { value: 2 });
    await form.fire('.min', 'input', { value: '1' });
    await form.fire('.max', 'input', { value: '3' });
    await form.fire('.hours', 'input', { value: '8:00-17:30' });
    await form.fire('.address', 'input', { value: '安置区扶贫车间2号楼' });
    await form.fire('.contact', 'input', { value: '李主任 138****0000' });
    await form.tap('.publish');
    expect(form.text()).toContain('计件工资请填写预计月收入');
    await form.fire('.expected', 'input', { value: '3200' });
    // A closing day already past: the server refuses and says so under the field.
    await form.fire('.valid', 'change', { value: '2020-01-01' });
    await form.tap('.publish');
    expect(form.data.errors).toEqual({ validThrough: '截止时间已过' });
    expect(employer.toasts.at(-1)).toEqual({ title: '截止时间必须晚于现在', icon: 'none' });
    await form.fire('.valid', 'change', { value: '2099-12-31' });
    await form.tap('.publish');
    expect(form.text()).toContain('「电子元件计件工」已发布，居民现在就能看到并报名');

    await list.lifecycle('onShow');
    expect(list.data.items).toHaveLength(before + 1);
    const index = list.data.items.findIndex((j: { title: string }) => j.title === '电子元件计件工');
    expect(index).toBe(0); // newest first
    const posted = list.data.items[index];
    expect(posted.line).toBe('服装加工扶贫车间 · 1-3 元/件 · 还招 1 人');
    const publicJob = await t.call('GET', `/v1/jobs/${posted.jobId}`);
    expect(publicJob.body).toMatchObject({ status: 'open', salary: { min: 1, max: 3, unit: 'piece', expectedMonthly: 3200 }, validThrough: '2099-12-31T15:59:00.000Z' });

    await list.tap(`.close-${index}`);
    expect(employer.modals.at(-1)!.content).toContain('「电子元件计件工」停止招聘后');
    expect(list.data.items[index]).toMatchObject({ jobId: posted.jobId, statusName: '已停止', canClose: false });
    expect((await t.call('GET', `/v1/jobs/${posted.jobId}`)).body.status).toBe('closed');

    // A draft is kept out of public view, found again under 草稿, and published from there.
    list.comp.instance.onHide();
    const draftForm = await sim.open('pages/employer/job-form/index');
    for (const [selector, value] of [['.title', '包装工（草稿）'], ['.description', '成品包装装箱，按件计酬另有奖励'], ['.min', '2600'], ['.max', '3000'], ['.hours', '8:00-17:00'], ['.address', '安置区扶贫车间1号楼'], ['.contact', '王主任']]) {
      await draftForm.fire(selector!, 'input', { value });
    }
    await draftForm.tap('.draft');
    expect(draftForm.text()).toContain('「包装工（草稿）」已存为草稿');
    await list.lifecycle('onShow');
    await list.tap('.tab-draft');
    expect(list.data.items.map((j: { title: string }) => j.title)).toEqual(['包装工（草稿）']);
    const draftId = list.data.items[0].jobId;
    expect((await t.call('GET', `/v1/jobs/${draftId}`)).status).toBe(404);
    await list.tap('.publish-0');
    expect(list.data.items).toEqual([]);
    expect((await t.call('GET', `/v1/jobs/${draftId}`)).body.status).toBe('open');
  });

  it('a lead creates an activity through the form and gets its check-in code', async () => {
    const lead = phone('dev-lead-T01');
    const list = await sim.open('pages/lead/activities/index');
    const before = list.data.items.length;
    list.comp.instance.onHide();
    const form = await sim.open('pages/lead/activity-form/index');
    await form.fire('.title', 'input', { value: '冬季义诊' });
    await form.fire('.description', 'input', { value: '测血压、血糖，送常用药' });
    await form.fire('.place', 'input', { value: '社区卫生室' });
    await form.fire('.end', 'change', { value: '08:00' });
    await form.tap('.submit');
    expect(form.text()).toContain('结束时间要晚于开始时间');
    expect(posts(lead, '/v1/activities')).toHaveLength(0);
    await form.fire('.end', 'change', { value: '11:30' });
    await form.tap('.submit');
    expect(form.text()).toMatch(/「冬季义诊」已发布，志愿者现在就能报名。签到码：[0-9A-Z]{4,16}查看活动/);

    await list.lifecycle('onShow');
    expect(list.data.items).toHaveLength(before + 1);
    const created = list.data.items.find((a: { title: string }) => a.title === '冬季义诊');
    expect(created).toMatchObject({ place: '社区卫生室', seats: '余 10 个名额' });
    expect(created.when).toMatch(/ 09:00 - 11:30$/);
  });
});

describe('weak networks and elderly users', () => {
  it('keeps a request made offline and sends it exactly once when the network returns', async () => {
    const resident = phone('dev-resident-9');
    sim.launchApp();
    const form = await sim.open('pages/requests/new/index');
    const other = form.data.types.findIndex((x: { code: string }) => x.code === 'other');
    await form.fire('.type-picker', 'change', { value: other });
    await form.fire('.description', 'input', { value: '断网时提交：路灯不亮' });
    resident.setOnline(false);
    await form.tap('.submit');
    expect(form.text()).toContain('暂时提交不了（网络不好或系统繁忙），已保存在手机上，稍后自动提交');
    const posts = () => resident.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/v1/requests'));
    expect(posts()).toHaveLength(1);

    resident.setOnline(true);
    await resident.idle();
    resident.setOnline(true); // a second "connected" event: nothing left to send
    await resident.idle();
    expect(posts()).toHaveLength(2);
    expect(posts()[1]!.headers['idempotency-key']).toBe(posts()[0]!.headers['idempotency-key']);
    expect(resident.toasts.at(-1)).toEqual({ title: '已补发 1 条诉求', icon: 'success' });
    const mine = await as('dev-resident-9', 'GET', '/v1/me/requests?limit=50');
    expect(mine.items.filter((q: { description: string }) => q.description === '断网时提交：路灯不亮')).toHaveLength(1);
  });

  it('starts in care mode on a phone set to large text, and asks once on any other phone', async () => {
    const big = phone('dev-resident-20', { fontScale: 1.3 });
    sim.launchApp();
    expect(big.storage.get('anzhi.care-mode')).toBe('1');
    expect(big.toasts.at(-1)!.title).toBe('已按手机的大字设置开启关怀模式，可在「我的」里关闭');
    expect(big.modals).toEqual([]);
    const home = await sim.open('pages/me/home/index');
    expect(home.comp.dom.firstChild.className).toContain('care');

    const other = phone('dev-resident-20', { confirmModal: false });
    sim.launchApp();
    expect(other.modals).toEqual([{ title: '需要大字吗？', content: '开启关怀模式后，字和按钮都会变大，看得更清楚。以后可以在「我的」里随时开关。' }]);
    expect(other.storage.get('anzhi.care-mode')).toBe('0');
    sim.launchApp();
    expect(other.modals).toHaveLength(1); // asked once, not at every launch
  });

  it('switches care mode on 我的 and every page opened after shows large text', async () => {
    const resident = phone('dev-resident-12');
    const home = await sim.open('pages/me/home/index');
    expect(home.comp.dom.firstChild.className).toContain('normal');
    await home.tap('.care-switch');
    expect(home.comp.dom.firstChild.className).toContain('care');
    expect(resident.storage.get('anzhi.care-mode')).toBe('1');
    const jobs = await sim.open('pages/jobs/list/index');
    expect(jobs.comp.dom.firstChild.className).toContain('care');
  });

  it('says on the page when the request form cannot load, and loads it on a tap once the network is back', async () => {
    const resident = phone('dev-resident-12');
    resident.online = false;
    const form = await sim.open('pages/requests/new/index');
    expect(form.text()).toContain('网络不太好，请稍后再试（点此重试）');
    resident.online = true;
    await form.tap('.load-error');
    expect(form.comp.querySelector('.load-error')).toBeFalsy();
    expect(form.data.types.length).toBeGreaterThan(3);
  });

  it('shows a clear message, not a blank page, when a page is opened without what it needs', async () => {
    phone('dev-resident-12');
    const page = await sim.open('pages/jobs/detail/index');
    expect(page.text()).toContain('页面参数缺失，请返回重试');
  });
});

describe('npm run miniprogram:preview', () => {
  it('renders every page of app.json with demo data to a static HTML file with its WXSS inlined', async () => {
    const out = mkdtempSync(join(tmpdir(), 'preview-'));
    const files = await renderPreviews(t.stack.apiUrl, root, out);
    const pages = (JSON.parse(readFileSync(join(root, 'app.json'), 'utf8')) as { pages: string[] }).pages;
    const byPage = new Map<string, string>();
    for (const f of files.filter((x) => !x.endsWith('/index.html'))) {
      const html = readFileSync(f, 'utf8');
      expect(html, f).toContain('.page--card{display:block;background:var(--weui-BG-2)');
      expect(html, f).not.toMatch(/点此重试|页面参数缺失|系统出了点问题/);
      byPage.set(f, html);
    }
    // Every page of app.json in at least one scene; every scene in both modes.
    const gallery = readFileSync(join(out, 'index.html'), 'utf8');
    for (const pg of pages) expect(gallery, pg).toContain(` · ${pg} · `);
    expect(byPage.size % 2).toBe(0);
    expect(readFileSync(join(out, 'state-requests-empty.html'), 'utf8')).toContain('您还没有提交过诉求');
    expect(readFileSync(join(out, 'state-request-to-rate.html'), 'utf8')).toContain('已更换灯泡');
    expect(readFileSync(join(out, 'state-activity-waitlisted.html'), 'utf8')).toMatch(/候补/);
    expect(readFileSync(join(out, 'home-care.html'), 'utf8')).toContain('class="page--care"');
    expect(readFileSync(join(out, 'requests-detail.html'), 'utf8')).toContain('已联系物业电工，明天上午更换');
    expect(readFileSync(join(out, 'requests-detail-hotline.html'), 'utf8')).toContain('来源：12345 热线转来 · 来电人 王秀兰 139****5678');
    expect(readFileSync(join(out, 'work-inbox.html'), 'utf8')).toContain('12345 热线转来');
    expect(readFileSync(join(out, 'employer-applications.html'), 'utf8')).toContain('有缝纫经验，可以上夜班');
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(readFileSync(join(out, 'activities-detail-lead.html'), 'utf8')).toContain('page--qr-cell page--dark');
    expect(readFileSync(join(out, 'index.html'), 'utf8').match(/<iframe /g)).toHaveLength(byPage.size);
    previewDir = out;
  });

  it('关怀模式 enlarges and never hides: in real Chromium, every text of standard mode is shown, text ≥ 18 px, buttons ≥ 60 px tall, contrast ≥ 4.5:1', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
      const measure = async (file: string) => {
        await page.goto(pathToFileURL(join(previewDir, file)).href);
        return page.evaluate(inspectPage);
      };
      const files = readdirSync(previewDir).filter((f) => f.endsWith('.html') && f !== 'index.html' && !f.endsWith('-care.html'));
      expect(files.length).toBeGreaterThan(19);
      const problems: string[] = [];
      for (const f of files) {
        const normal = await measure(f);
        const care = await measure(f.replace('.html', '-care.html'));
        const shown = new Set(care.lines);
        for (const line of normal.lines) if (!shown.has(line)) problems.push(`${f}: hidden in care mode: ${line}`);
        for (const t of care.texts) if (t.fontPx < 18) problems.push(`${f} (care): ${t.fontPx}px text "${t.text}"`);
        for (const b of care.buttons) if (b.height < 60) problems.push(`${f} (care): button "${b.text}" ${b.height}px tall`);
        for (const b of normal.buttons) if (b.height < 44) problems.push(`${f}: button "${b.text}" ${b.height}px tall`);
        for (const t of [...normal.texts, ...care.texts]) if (t.contrast < 4.5) problems.push(`${f}: contrast ${t.contrast.toFixed(2)} for "${t.text}"`);
      }
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

let previewDir = '';

/** Runs in the page: its visible lines of text, every text element's size and contrast, every button's height. */
function inspectPage() {
  document.querySelector('.nav')?.remove();
  // Colours as the eye sees them: a translucent colour (WeUI's greys are black at 55–90 %) is
  // composited over what lies beneath it, down to the first opaque background.
  type Rgba = [number, number, number, number];
  const parse = (css: string): Rgba => {
    const [r = 0, g = 0, b = 0, a = 1] = (css.match(/[\d.]+/g) ?? []).map(Number);
    return [r, g, b, css.startsWith('rgba') ? a : 1];
  };
  const over = (top: Rgba, under: Rgba): Rgba => [0, 1, 2].map((i) => top[i]! * top[3] + under[i]! * (1 - top[3])).concat(1) as Rgba;
  const background = (el: Element | null): Rgba => {
    const layers: Rgba[] = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] === 0) continue;
      layers.push(bg);
      if (bg[3] === 1) break;
    }
    return layers.reduceRight<Rgba>((under, top) => over(top, under), [255, 255, 255, 1]);
  };
  const lum = ([r, g, b]: Rgba) => {
    const [lr, lg, lb] = [r, g, b].map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
  };
  const texts: { text: string; fontPx: number; contrast: number }[] = [];
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    const own = Array.from(el.childNodes).filter((n) => n.nodeType === 3).map((n) => n.textContent ?? '').join('').trim();
    if (!own || el.getClientRects().length === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    const under = background(el);
    const [a, b] = [lum(over(parse(style.color), under)), lum(under)];
    texts.push({ text: own.slice(0, 30), fontPx: parseFloat(style.fontSize), contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) });
  }
  const buttons = Array.from(document.querySelectorAll('wx-button'))
    .filter((b) => b.getClientRects().length > 0)
    .map((b) => ({ text: (b.textContent ?? '').trim().slice(0, 20), height: Math.round(b.getBoundingClientRect().height) }));
  // The care switch says which mode is on: the one text allowed to differ between the modes.
  for (const el of Array.from(document.querySelectorAll('.page--care-switch'))) (el as HTMLElement).style.display = 'none';
  const lines = document.body.innerText.split('\n').map((l) => l.trim()).filter(Boolean);
  return { lines, texts, buttons };
}

describe('deep links from notifications', () => {
  it('every link a notification carried (in the flows above) opens a page of app.json as its reader, and it loads', async () => {
    const appPages = (JSON.parse(readFileSync(join(root, 'app.json'), 'utf8')) as { pages: string[] }).pages;
    const readers = ['resident-1', 'resident-2', 'resident-3', 'resident-9', 'resident-11', 'resident-12', 'resident-13', 'gw-G001-ft', 'gw-G001-pt', 'cs-C01', 'volunteer-1', 'lead-T01', 'legal-1', 'resident-15', 'resident-16', 'resident-19'];
    const distinct = new Map<string, { userId: string; page: string }>();
    for (const userId of readers) {
      for (const n of await notificationsOf(userId)) {
        expect(n.page, `${n.template} to ${userId}`).toBeTruthy();
        distinct.set(`${n.page!.split('?')[0]}|${n.page!.includes('as=handler')}`, { userId, page: n.page! });
      }
    }
    // The resident's request, the handler's request, an activity, the applications at least.
    expect(distinct.size).toBeGreaterThanOrEqual(4);
    for (const { userId, page } of distinct.values()) {
      const [path, qs = ''] = page.split('?') as [string, string?];
      expect(appPages, page).toContain(path);
      phone(`dev-${userId}`);
      const p = await sim.open(path, Object.fromEntries(new URLSearchParams(qs)));
      expect(p.data.loadError ?? '', `${page} as ${userId}`).toBe('');
      expect(p.text()).not.toContain('页面参数缺失');
    }
  });
});
