import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

import { projectRoot } from '../local/http-api';
import { buildMiniprogram } from './build';
import { createSimulator } from './simulator';

/**
 * `npm run miniprogram:preview`: every page of the mini-program rendered with demo data to a
 * static HTML file (miniprogram-simulate in jsdom, the page's compiled WXSS inlined), plus an
 * index.html showing them side by side — the screens, for anyone without WeChat DevTools.
 */
const require = createRequire(import.meta.url);

/** Calls the API as a demo user (the dev login), for arranging what the screens show. */
export function demoApi(apiUrl: string) {
  const tokens = new Map<string, string>();
  async function call(openid: string, method: string, path: string, body?: unknown): Promise<any> {
    let token = tokens.get(openid);
    if (!token) {
      const r = await fetch(`${apiUrl}/v1/auth/wechat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: `dev:${openid}` }) });
      token = ((await r.json()) as { token: string }).token;
      tokens.set(openid, token);
    }
    const res = await fetch(`${apiUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }
  return call;
}

async function until<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A scene: who is looking, at which page, with which query. Each is rendered in both modes. */
interface Scene {
  file: string;
  page: string;
  openid: string;
  query?: Record<string, string>;
}

/**
 * Gives every page something to show: an application, a sign-up, a request routed to the grid
 * worker, then one scene per page (each is rendered in standard and in 关怀模式).
 */
export async function previewScenes(apiUrl: string): Promise<Scene[]> {
  const as = demoApi(apiUrl);
  const job = (await as('dev-resident-1', 'GET', '/v1/jobs?employerId=W01&limit=1')).items[0];
  const applied = (await as('dev-resident-1', 'GET', '/v1/me/applications')).items.some((a: { jobId: string }) => a.jobId === job.jobId);
  if (!applied) await as('dev-resident-1', 'POST', `/v1/jobs/${job.jobId}/applications`, { note: '有缝纫经验，可以上夜班' });
  const activity = (await as('dev-volunteer-1', 'GET', '/v1/activities?limit=1')).items[0];
  const leadActivity = (await as('dev-lead-T01', 'GET', '/v1/activities?teamId=T01&limit=1')).items[0];
  if (!(await as('dev-volunteer-1', 'GET', `/v1/activities/${activity.activityId}`)).myStatus) await as('dev-volunteer-1', 'POST', `/v1/activities/${activity.activityId}/signups`);
  const request = await as('dev-resident-1', 'POST', '/v1/requests', { typeCode: 'livelihood', description: '3栋楼道灯坏了一个星期，晚上老人上下楼不方便', fields: { category: 'power', location: '3栋1单元' } });
  await until(async () => ((await as('dev-resident-1', 'GET', `/v1/requests/${request.requestId}`)).status === 'assigned' ? true : undefined), 'the request routed to the grid');
  await as('dev-gw-G001-ft', 'POST', `/v1/requests/${request.requestId}/actions`, { action: 'accept' });
  await as('dev-gw-G001-ft', 'POST', `/v1/requests/${request.requestId}/actions`, { action: 'comment', text: '已联系物业电工，明天上午更换' });
  const visit = (await as('dev-gw-G001-ft', 'GET', '/v1/me/visits?limit=1')).items[0];
  // States that matter: a request resolved and waiting for the resident's confirmation and stars…
  const done = await as('dev-resident-1', 'POST', '/v1/requests', { typeCode: 'livelihood', description: '小区门口的路灯不亮了', fields: { category: 'power', location: '小区南门' } });
  await until(async () => ((await as('dev-resident-1', 'GET', `/v1/requests/${done.requestId}`)).status === 'assigned' ? true : undefined), 'the second request routed');
  await as('dev-gw-G001-ft', 'POST', `/v1/requests/${done.requestId}/actions`, { action: 'accept' });
  await as('dev-gw-G001-ft', 'POST', `/v1/requests/${done.requestId}/actions`, { action: 'resolve', outcome: 'resolved', note: '已更换灯泡' });
  // …and an activity with one seat: the lead has it, the volunteer waits for it.
  const start = new Date(Date.now() + 72 * 3600_000);
  const full = await as('dev-lead-T01', 'POST', '/v1/activities', {
    teamId: 'T01', type: 'elderly_care', title: '陪老人拉家常', description: '到独居老人家里聊天、帮忙打扫。', place: '5号楼',
    startAt: start.toISOString(), endAt: new Date(start.getTime() + 2 * 3600_000).toISOString(), signupDeadline: new Date(start.getTime() - 3600_000).toISOString(),
    capacity: 1, requiredSkills: [], beneficiaries: '独居老人',
  });
  await as('dev-lead-T01', 'POST', `/v1/activities/${full.activityId}/signups`);
  await as('dev-volunteer-1', 'POST', `/v1/activities/${full.activityId}/signups`);
  // An application waiting for the lead.
  const waiting = (await as('dev-lead-T01', 'GET', '/v1/teams/T01/applications')).items.some((x: { userId: string }) => x.userId === 'resident-2');
  if (!waiting) await as('dev-resident-2', 'POST', '/v1/teams/T01/applications', { skills: ['量血压', '陪伴老人'], availability: '周末上午', note: '退休护士' });
  // A ticket the 12345 hotline filed through Open311 for a household on the roster: the grid
  // worker sees where it came from and who called.
  const hotline = await as('dev-admin-1', 'POST', '/v1/admin/open311-keys', { partner: '县12345政务服务便民热线', kind: 'hotline_12345' });
  const form = new URLSearchParams({ api_key: hotline.apiKey, service_code: 'livelihood', address_id: 'H000001', description: '来电反映：5栋2单元门口下水道堵了，污水漫到路上', last_name: '王', first_name: '秀兰', phone: '13912345678', 'attribute[category]': 'environment', 'attribute[location]': '5栋2单元门口' });
  const [{ token }] = (await (await fetch(`${apiUrl}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })).json()) as [{ token: string }];
  const hotlineRequestId = await until(async () => ((await (await fetch(`${apiUrl}/open311/v2/tokens/${token}.json`)).json()) as { service_request_id?: string }[])[0]?.service_request_id, 'the hotline ticket routed');
  await until(async () => ((await as('dev-gw-G001-ft', 'GET', '/v1/me/notifications?limit=20')).items.some((n: { page: string | null }) => n.page?.includes(hotlineRequestId)) ? true : undefined), 'the worker\'s notice of the hotline ticket');
  // Read already, so that both renders of 我的消息 (opening it marks them read) show the same.
  await until(async () => ((await as('dev-gw-G001-ft', 'GET', '/v1/me/notifications?limit=20')).items.some((n: { page: string | null }) => n.page?.includes(done.requestId)) ? true : undefined), 'the worker\'s notice of the second request');
  await as('dev-gw-G001-ft', 'POST', '/v1/me/notifications/read');
  // The console's QR code, as the street staff member has just scanned it.
  const consoleLogin = await as('dev-street-1', 'POST', '/v1/console/logins');
  // 法律咨询: resident-1 has booked the first slot of the duty roster (by phone or at the centre)…
  const slots = (await as('dev-resident-1', 'GET', '/v1/legal/slots')).items as { slotId: string; when: string; modeName: string; place: string }[];
  const bookedSlot = slots[0]!;
  const mineNow = (await as('dev-resident-1', 'GET', '/v1/me/consultations')).items as { slotId: string }[];
  if (!mineNow.some((b) => b.slotId === bookedSlot.slotId)) {
    await as('dev-resident-1', 'POST', `/v1/legal/slots/${bookedSlot.slotId}/bookings`, { category: 'labour', description: '在工地干了三个月，老板一直拖欠工资，不知道怎么要' });
    await as('dev-resident-2', 'POST', `/v1/legal/slots/${bookedSlot.slotId}/bookings`, { category: 'family', description: '儿子外出打工不管老人，想问赡养费怎么要' });
  }
  // 法律援助 and 人民调解 (the demo's case files): resident-11's aided application, the agreement it
  // is asked to confirm; the centre's application to decide and its case under way.
  const myAid = (await as('dev-resident-11', 'GET', '/v1/me/legal-aid')).items as { applicationId: string; status: string }[];
  const myCases = (await as('dev-resident-11', 'GET', '/v1/me/mediations')).items as { caseId: string; status: string }[];
  const toDecide = (await as('dev-legal-1', 'GET', '/v1/legal/aid?status=submitted')).items as { applicationId: string }[];
  const underWay = (await as('dev-legal-1', 'GET', '/v1/legal/mediations?status=accepted')).items as { caseId: string }[];
  return [
    { file: 'home', page: 'pages/index/index', openid: 'dev-gw-G001-ft' },
    { file: 'services', page: 'pages/services/all/index', openid: 'dev-gw-G001-ft' },
    { file: 'me', page: 'pages/me/home/index', openid: 'dev-resident-1' },
    { file: 'me-notices', page: 'pages/me/notices/index', openid: 'dev-gw-G001-ft' },
    { file: 'jobs-list', page: 'pages/jobs/list/index', openid: 'dev-resident-1' },
    { file: 'jobs-detail', page: 'pages/jobs/detail/index', openid: 'dev-resident-2', query: { jobId: job.jobId } },
    { file: 'jobs-applications', page: 'pages/jobs/applications/index', openid: 'dev-resident-1' },
    { file: 'activities-list', page: 'pages/activities/list/index', openid: 'dev-volunteer-1' },
    { file: 'activities-detail', page: 'pages/activities/detail/index', openid: 'dev-volunteer-1', query: { activityId: activity.activityId } },
    { file: 'activities-detail-lead', page: 'pages/activities/detail/index', openid: 'dev-lead-T01', query: { activityId: leadActivity.activityId } },
    { file: 'activities-mine', page: 'pages/activities/mine/index', openid: 'dev-volunteer-1' },
    { file: 'requests-new', page: 'pages/requests/new/index', openid: 'dev-resident-1' },
    { file: 'requests-mine', page: 'pages/requests/mine/index', openid: 'dev-resident-1' },
    { file: 'requests-detail', page: 'pages/requests/detail/index', openid: 'dev-gw-G001-ft', query: { requestId: request.requestId, as: 'handler' } },
    { file: 'requests-detail-hotline', page: 'pages/requests/detail/index', openid: 'dev-gw-G001-ft', query: { requestId: hotlineRequestId, as: 'handler' } },
    { file: 'work-inbox', page: 'pages/work/inbox/index', openid: 'dev-gw-G001-ft' },
    { file: 'work-visits', page: 'pages/work/visits/index', openid: 'dev-gw-G001-ft' },
    { file: 'work-households', page: 'pages/work/households/index', openid: 'dev-gw-G001-ft' },
    { file: 'work-visit-log', page: 'pages/work/visit-log/index', openid: 'dev-gw-G001-ft', query: visit ? { visitId: visit.visitId, address: visit.address, colour: visit.colour } : {} },
    { file: 'employer-jobs', page: 'pages/employer/jobs/index', openid: 'dev-employer-W01' },
    { file: 'employer-applications', page: 'pages/employer/applications/index', openid: 'dev-employer-W01', query: { jobId: job.jobId, title: job.title } },
    { file: 'employer-job-form', page: 'pages/employer/job-form/index', openid: 'dev-employer-W01' },
    { file: 'lead-activities', page: 'pages/lead/activities/index', openid: 'dev-lead-T01' },
    { file: 'lead-activity-form', page: 'pages/lead/activity-form/index', openid: 'dev-lead-T01' },
    { file: 'lead-applications', page: 'pages/lead/applications/index', openid: 'dev-lead-T01' },
    { file: 'volunteer-apply', page: 'pages/volunteer/apply/index', openid: 'dev-resident-3', query: { teamId: 'T01', teamName: '义诊志愿服务队' } },
    { file: 'work-console-login', page: 'pages/work/console-login/index', openid: 'dev-street-1', query: { loginId: consoleLogin.loginId } },
    { file: 'legal-slots', page: 'pages/legal/slots/index', openid: 'dev-resident-1' },
    { file: 'legal-book', page: 'pages/legal/book/index', openid: 'dev-resident-3', query: { slotId: bookedSlot.slotId, when: bookedSlot.when, place: `${bookedSlot.modeName} · ${bookedSlot.place}` } },
    { file: 'legal-mine', page: 'pages/legal/mine/index', openid: 'dev-resident-1' },
    { file: 'legal-duty', page: 'pages/legal/duty/index', openid: 'dev-legal-1' },
    { file: 'legal-slot', page: 'pages/legal/slot/index', openid: 'dev-legal-1', query: { slotId: bookedSlot.slotId } },
    { file: 'legal-aid-apply', page: 'pages/legal/aid-apply/index', openid: 'dev-resident-15' },
    { file: 'legal-mediation-apply', page: 'pages/legal/mediation-apply/index', openid: 'dev-resident-15' },
    { file: 'legal-cases', page: 'pages/legal/cases/index', openid: 'dev-resident-11' },
    { file: 'legal-aid', page: 'pages/legal/aid/index', openid: 'dev-resident-11', query: { id: myAid.find((a) => a.status === 'accepted')?.applicationId ?? '' } },
    { file: 'legal-aid-officer', page: 'pages/legal/aid/index', openid: 'dev-legal-1', query: { id: toDecide[0]?.applicationId ?? '' } },
    { file: 'legal-case', page: 'pages/legal/case/index', openid: 'dev-resident-11', query: { id: myCases.find((c) => c.status === 'agreed')?.caseId ?? '' } },
    { file: 'legal-case-officer', page: 'pages/legal/case/index', openid: 'dev-legal-1', query: { id: underWay[0]?.caseId ?? '' } },
    { file: 'legal-desk', page: 'pages/legal/desk/index', openid: 'dev-legal-1' },
    // The states that matter beyond "here it is".
    // A resident signing in for the first time: nothing yet.
    { file: 'state-requests-empty', page: 'pages/requests/mine/index', openid: 'dev-preview-newcomer' },
    { file: 'state-request-to-rate', page: 'pages/requests/detail/index', openid: 'dev-resident-1', query: { requestId: done.requestId } },
    { file: 'state-activity-waitlisted', page: 'pages/activities/detail/index', openid: 'dev-volunteer-1', query: { activityId: full.activityId } },
  ];
}

/** Browsers do not know WeChat's components: give them a phone-like look. rpx: 750 to a 375 px screen. */
const baseCss = `
body { margin: 0; font-family: -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; }
page { display: flow-root; min-height: 100vh; }
wx-view, wx-navigator, wx-picker, wx-checkbox-group, wx-form { display: block; }
wx-button { display: block; box-sizing: border-box; text-align: center; padding: 10px; border-radius: 6px; }
wx-button[size="mini"] { display: inline-block; padding: 2px 10px; margin: 4px; }
wx-input, wx-textarea { display: block; background: #fff; color: #999; }
wx-textarea { min-height: 60px; }
wx-checkbox::before { content: "☐ "; } wx-switch::before { content: "◯ 否"; color: #999; }
wx-input[placeholder]:empty::before, wx-textarea[placeholder]:empty::before { content: attr(placeholder); color: #999; }
wx-button[disabled] { opacity: 0.6; }
wx-button[loading]::before { content: "◌ "; }
`;
const px = (css: string) => css.replace(/(-?\d*\.?\d+)rpx/g, (_m, n: string) => `${Number(n) / 2}px`);

/** A wxss file with its `@import "x.wxss";` lines replaced by the files (as WeChat's compiler does). */
function withImports(root: string, file: string): string {
  return readFileSync(join(root, file), 'utf8').replace(/@import\s+["']([^"']+)["'];?/g, (_, path: string) => withImports(root, join(dirname(file), path)));
}

/**
 * Renders every scene to `outDir/<file>.html` and, in 关怀模式, to `outDir/<file>-care.html`
 * (the same moment, so the two show the same data); returns the files written.
 */
export async function renderPreviews(apiUrl: string, root: string, outDir: string): Promise<string[]> {
  const scenes = (await previewScenes(apiUrl)).flatMap((s) => [
    { ...s, care: false },
    { ...s, file: `${s.file}-care`, care: true },
  ]);
  const sim = createSimulator(root);
  const compileWxss: (css: string, opts: { prefix: string }) => string = require('miniprogram-simulate/src/wxss').compile;
  const appWxss = withImports(root, 'app.wxss');
  const appCss = compileWxss(appWxss, { prefix: 'page' });
  const appWindow = (JSON.parse(readFileSync(join(root, 'app.json'), 'utf8')) as { window: { navigationBarBackgroundColor: string; navigationBarTextStyle: string } }).window;
  // Only the gallery's own files: preview/console/ (npm run console:screenshots) lives beside it.
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (f.endsWith('.html')) rmSync(join(outDir, f));
  const titles: Record<string, string> = {};
  for (const s of scenes) {
    const phone = sim.usePhone({ apiUrl, openid: s.openid });
    phone.storage.set('anzhi.care-mode', s.care ? '1' : '0');
    const page = await sim.open(s.page, s.query);
    const pageCss = [...(globalThis as any).document.querySelectorAll('head style')].map((el: { textContent: string }) => el.textContent).join('\n');
    // Components that take the app's classes (addGlobalClass) get app.wxss under their own prefix, as WeChat applies it.
    // (by the names the page registers them under: `timeline` has no hyphen to be recognised by)
    const pageJson = JSON.parse(readFileSync(join(root, `${s.page}.json`), 'utf8')) as { usingComponents?: Record<string, string> };
    const componentTags = Object.keys(pageJson.usingComponents ?? {});
    const componentCss = componentTags.map((tag) => compileWxss(appWxss, { prefix: tag })).join('\n');
    const title = (JSON.parse(readFileSync(join(root, `${s.page}.json`), 'utf8')) as { navigationBarTitleText?: string }).navigationBarTitleText ?? '';
    titles[s.file] = title + (s.care ? '（关怀模式）' : '');
    const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=375"><title>${titles[s.file]}</title>
<style>${baseCss}${px(appCss)}\n${px(componentCss)}\n${px(pageCss)}
.nav { background: ${appWindow.navigationBarBackgroundColor}; color: ${appWindow.navigationBarTextStyle === 'black' ? '#000' : '#fff'}; text-align: center; padding: 12px; font-size: 17px; }</style></head>
<body><div class="nav">${titles[s.file]}</div>${page.html()}</body></html>\n`;
    writeFileSync(join(outDir, `${s.file}.html`), html);
    page.detach();
    for (const el of (globalThis as any).document.querySelectorAll('head style')) el.remove();
  }
  // Standard and 关怀模式 side by side, scene by scene.
  const frames = scenes.map((s) => `<figure><iframe src="${s.file}.html" width="375" height="700"></iframe><figcaption>${titles[s.file]} · ${s.page} · ${s.openid}</figcaption></figure>`).join('\n');
  writeFileSync(join(outDir, 'index.html'), `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>安置区服务 — 页面预览</title>
<style>body{font-family:sans-serif;background:#ddd;display:flex;flex-wrap:wrap;gap:16px;padding:16px}figure{margin:0}iframe{border:1px solid #999;background:#fff}figcaption{font-size:12px;max-width:375px}</style></head><body>${frames}</body></html>\n`);
  return [...scenes.map((s) => join(outDir, `${s.file}.html`)), join(outDir, 'index.html')];
}

async function main(): Promise<void> {
  // The API's request logs would bury the one line this prints.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const { startLocalStack } = await import('../local/stack');
  const { seedDemoData } = await import('../local/seed');
  const { planVisits } = await import('../../shared/households/use-cases');
  const started = performance.now();
  const stack = await startLocalStack({ prefix: 'preview-', stage: 'test', port: 0, workers: true });
  try {
    await seedDemoData();
    await planVisits(new Date(), { gridIds: ['G001'] });
    const root = resolve(projectRoot, '.build/miniprogram-preview');
    buildMiniprogram(root);
    const outDir = resolve(projectRoot, 'preview');
    const files = await renderPreviews(stack.apiUrl, root, outDir);
    console.log(`${files.length} preview files in ${((performance.now() - started) / 1000).toFixed(1)} s — open ${join(outDir, 'index.html')}`);
  } finally {
    await stack.stop();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
