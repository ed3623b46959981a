import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { consoleViews, faultyRoster } from '../../infra/console/capture';
import { demoRoster } from '../../infra/local/demo-data';
import { seedDemoData } from '../../infra/local/seed';
import { book, createSlot, recordConsultation } from '../../shared/legal/consultations';
import { routeRequest, submitRequest } from '../../shared/requests/use-cases';
import { principalOf } from '../../shared/users/model';
import { getUser } from '../../shared/users/repository';
import { buildConsoleScenario, scenarioAnswers as answer } from '../fixtures/console-scenario';
import { tokenAs } from '../fixtures/principals';
import { livelihood } from '../fixtures/requests';
import { launchChromium } from '../support/chromium';
import { useTestStack } from '../support/stack';

/**
 * The console in real Chromium against the real local stack: sign-in by scanning (the approval
 * made as the mini-program makes it), the known scenario's figures on screen, drill-down, an
 * action on a request reflected in the API, a CSV export, the 60-second refresh, and axe-core on
 * every view. The scenario runs on the real clock (the page reads "today" from it): created now,
 * so that its month and day are this month and today (a run straddling Beijing midnight would see
 * "今日" move; the fixed-clock edges are in tests/integration/console.test.ts).
 */
// Workers on: the large export is built by its queue consumer, as in AWS.
const t = useTestStack({ workers: true });
let browser: Browser;
let page: Page;
let scenarioIds: string[] = [];

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function signInAs(p: Page, role: 'street_staff' | 'community_staff' | 'grid_worker') {
  await p.goto(`${t.stack.apiUrl}/console/#/login`);
  const qr = p.locator('[data-testid="login-qr"]');
  await qr.locator('svg').waitFor();
  const loginId = await qr.getAttribute('data-login-id');
  expect(loginId).toMatch(/^[A-Za-z0-9_-]{24}$/);
  // What the mini-program does after the scan: its signed-in user approves.
  const approved = await t.call('POST', `/v1/console/logins/${loginId}/approval`, { token: await tokenAs(role) });
  expect(approved.status).toBe(200);
  await p.locator('.top').waitFor({ timeout: 15_000 });
}

const text = async (p: Page, testid: string) => (await p.locator(`[data-testid="${testid}"] .figure-value`).first().innerText()).trim();

beforeAll(async () => {
  await seedDemoData();
  scenarioIds = (await buildConsoleScenario(new Date())).ids;
  // A consultation under way this month: one resident held (it became legal aid), one did not come.
  const officer = { userId: 'legal-1', roles: ['legal_officer' as const] };
  const hourAgo = new Date(Date.now() - 3600_000);
  const slot = await createSlot(officer, { startAt: new Date(Date.now() - 60_000).toISOString(), endAt: new Date(Date.now() + 3600_000).toISOString(), mode: 'in_person', place: '街道公共法律服务中心', lawyerName: '陈律师', capacity: 3 }, hourAgo);
  for (const id of ['resident-11', 'resident-12']) await book({ userId: id, roles: ['resident'] }, slot.slotId, { category: 'labour', description: '老板拖欠工资三个月' }, hourAgo);
  await recordConsultation(officer, slot.slotId, 'resident-11', { attended: true, advice: '可申请法律援助追讨欠薪', outcome: 'legal_aid' });
  await recordConsultation(officer, slot.slotId, 'resident-12', { attended: false });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
}, 180_000);
afterAll(async () => {
  await browser?.close();
});

describe('the console in Chromium', () => {
  it('signs in by scanning: the QR code, the approval from the mini-program, then the overview', async () => {
    await signInAs(page, 'street_staff');
    await expect.poll(() => page.url()).toContain('#/overview');
    await page.locator('[data-testid="open"]').waitFor();
    expect(await page.locator('.user').innerText()).toContain('街道工作人员');
  });

  it('shows the scenario\'s exact figures for community C01', async () => {
    await page.selectOption('select[aria-label="选择范围"]', 'community:C01');
    await expect.poll(() => page.locator('.scope-line strong').innerText()).not.toBe('全街道');
    await expect.poll(() => text(page, 'open')).toBe(String(answer.open));
    expect(await text(page, 'overdue')).toBe(String(answer.overdueOpen));
    expect(await text(page, 'received-month')).toBe(String(answer.received));
    expect(await text(page, 'on-time')).toBe('54.5%');
    expect(await text(page, 'rating')).toBe('4 星');
    expect(await text(page, 'in-grid')).toBe('100%');
    expect(await text(page, 'escalated')).toBe(String(answer.escalated));
    // The legal centre's month, for the sub-district's desk: the same figures as its route.
    const legal = (await t.call('GET', '/v1/legal/figures', { token: await tokenAs('street_staff') })).body;
    expect([legal.booked, legal.held, legal.noShow, legal.toLegalAid]).toEqual([2, 1, 1, 1]);
    // And the case files (the demo's: three applications, one aided the day it came; four mediation cases, three accepted, one settled).
    expect([legal.aid.received, legal.aid.accepted, legal.mediation.accepted, legal.mediation.settled, legal.mediation.successRate]).toEqual([3, 1, 3, 1, 100]);
    expect(await page.locator('[data-testid="legal"] .figure-value').allInnerTexts()).toEqual(['2 人次', '1 人次', '1 件', '0 件', '3 件', '给予 1 · 不予 0', '3 件', '100%', '0 件']);
    // Every figure carries its definition (hover and screen readers).
    expect(await page.locator('[data-testid="on-time"]').getAttribute('title')).toContain('按时结案率 = 按时办结数 ÷ 应办结数');
  });

  it('drills from the grid map into a grid and its households', async () => {
    await page.goto(`${t.stack.apiUrl}/console/#/grids`);
    const tile = page.locator('.tile[data-grid="G001"]');
    await tile.waitFor();
    // Coloured by overdue requests by default: G001 has 3.
    expect((await tile.locator('.tile-value').innerText()).trim()).toBe(String(answer.perGrid.G001.overdueOpen));
    await tile.click();
    await expect.poll(() => page.url()).toContain('#/grid/G001');
    await page.locator('[data-worker="gw-G001-ft"]').waitFor();
    expect(await page.locator('[data-worker="gw-G001-ft"] td').nth(2).innerText()).toBe('5'); // F's five at the grid
    await page.locator('[data-testid="households"] tbody tr').first().waitFor();
    // Numbers are masked on screen.
    expect(await page.locator('[data-testid="households"]').innerText()).toMatch(/1\d\d\*{4}\d{4}/);
    // A household opens with its colour and the history of it.
    await page.locator('[data-household="H000001"]').click();
    await expect.poll(() => page.locator('[data-testid="household-history"]').innerText()).toContain('现为');
  });

  it('acts on a request from the queue board, and the API shows it', async () => {
    await page.goto(`${t.stack.apiUrl}/console/#/queue`);
    await page.selectOption('select[aria-label="选择范围"]', 'community:C01');
    const rows = page.locator('[data-testid="board"] tbody tr');
    await expect.poll(() => rows.count()).toBe(answer.open);
    // Overdue first.
    const firstSeven = await rows.evaluateAll((trs) => trs.slice(0, 7).map((tr) => tr.classList.contains('overdue')));
    expect(firstSeven).toEqual(Array(7).fill(true));
    // E (index 24) waits at the sub-district: the street staff may act on it.
    const id = scenarioIds[24]!;
    await page.locator(`[data-request="${id}"]`).click();
    await page.locator('[data-testid="detail-description"]').waitFor();
    await page.getByRole('button', { name: '受理' }).click();
    await expect.poll(() => page.locator('[data-testid="act-notice"]').innerText()).toBe('已受理');
    const view = await t.call('GET', `/v1/requests/${id}`, { token: await tokenAs('street_staff') });
    expect(view.body).toMatchObject({ status: 'in_progress', level: 'street' });
    expect(view.body.timeline.at(-1)).toMatchObject({ kind: 'accepted' });
  });

  it('exports the board as CSV that Excel reads (BOM, Chinese headers), with the API\'s rows', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
    const body = readFileSync((await download.path())!, 'utf8');
    expect(body.charCodeAt(0)).toBe(0xfeff);
    const lines = body.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('编号,类型,状态,层级,网格,承办人,提交时间,时限,逾期,上报次数');
    const api = await t.call('GET', '/v1/console/requests?scope=community:C01', { token: await tokenAs('street_staff') });
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(api.body.items.map((r: { requestId: string }) => r.requestId).sort());
  });

  it('builds the household roster in the background and downloads it when ready', async () => {
    await page.goto(`${t.stack.apiUrl}/console/#/grids`);
    await page.selectOption('select[aria-label="选择范围"]', 'community:C01');
    await page.locator('.tile').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.locator('[data-testid="export-households"]').click()]);
    await expect.poll(() => page.locator('[data-testid="export-status"]').innerText()).toMatch(/^已生成 32 行：住户-幸福社区-\d{4}-\d{2}-\d{2}\.csv$/); // C01: 16 grids × 2 households
    expect(download.suggestedFilename()).toMatch(/^住户-幸福社区-.+\.csv$/);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').trimEnd().split('\r\n')).toHaveLength(33);
  });

  it('imports a roster file: straight to storage, progress while the server writes, then what it wrote', async () => {
    await page.goto(`${t.stack.apiUrl}/console/#/import`);
    expect(await page.locator('[data-testid="roster-start"]').isDisabled()).toBe(true);
    // A workbook is not a CSV: said at once, with how to save one.
    await page.locator('[data-testid="roster-file"]').setInputFiles({ name: '花名册.xlsx', mimeType: 'application/vnd.ms-excel', buffer: Buffer.from('PK') });
    expect(await page.locator('[role="alert"]').innerText()).toBe('请上传 CSV 文件：在 Excel 中选择「文件 → 另存为 → CSV（逗号分隔）」后再选择');
    await page.locator('[data-testid="roster-file"]').setInputFiles({ name: '幸福社区花名册.csv', mimeType: 'text/csv', buffer: Buffer.from(demoRoster(40, { prefix: 'CU', grids: 16 })) });
    await page.locator('[data-testid="roster-start"]').click();
    await page.locator('[data-testid="roster-job"][data-status="done"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="roster-written"]').innerText()).toBe('已写入 40 / 40 户（100%）');
    expect(await page.locator('[data-testid="roster-message"]').innerText()).toBe('导入完成：共 40 户、120 人；新增 40 户，更新 0 户，0 户没有变化');
    await expect.poll(() => page.locator('[data-testid="roster-history"] tbody tr').first().innerText()).toMatch(/^幸福社区花名册\.csv\t.+\t已完成\t40\t40\t0\t0\t—$/);
    // The households are there for the API, in their grid.
    const grid = await t.call('GET', '/v1/grids/G001/households?limit=100', { token: await tokenAs('street_staff') });
    expect(grid.body.items.filter((h: { householdId: string }) => h.householdId.startsWith('CU')).map((h: { householdId: string }) => h.householdId)).toEqual(['CU000001', 'CU000017', 'CU000033']);

    // A file with faults: nothing written, every fault by line and column in words staff read.
    await page.locator('[data-testid="roster-file"]').setInputFiles({ name: '幸福社区花名册.csv', mimeType: 'text/csv', buffer: faultyRoster() });
    await page.locator('[data-testid="roster-start"]').click();
    await page.locator('[data-testid="roster-job"][data-status="failed"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="roster-message"]').innerText()).toBe('花名册有 3 处错误，未导入任何数据，请修改后重新上传');
    const rows = await page.locator('[data-testid="roster-errors"] tbody tr').allInnerTexts();
    expect(rows).toEqual(['第 4 行 · 身份证号码\t身份证号码不正确（18 位，校验位不符）', '第 6 行 · 标签\t未知标签「贫困户」', '第 8 行 · 网格编号\t网格 G300 不存在']);
    const xf = await t.call('GET', '/v1/households/XF000001', { token: await tokenAs('street_staff') });
    expect(xf.status).toBe(404);
  });

  it('refreshes itself every 60 seconds: a new request appears without a reload', async () => {
    const p = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await signInAs(p, 'community_staff');
    // The page's timers from now on run on a clock the test moves (the session survives the reload).
    await p.clock.install();
    await p.reload();
    await p.locator('[data-testid="open"]').waitFor();
    await expect.poll(() => text(p, 'open')).toBe(String(answer.open));
    const resident = principalOf((await getUser('resident-1'))!);
    const { requestId } = await submitRequest(resident, livelihood, undefined);
    await routeRequest(requestId);
    // The intake consumer may have routed it first and still be adding its counts: the figure the
    // page will read must be there before the page's clock moves.
    const cs = await tokenAs('community_staff');
    await expect.poll(async () => (await t.call('GET', '/v1/console/overview', { token: cs })).body.requests.open).toBe(answer.open + 1);
    await p.clock.runFor(61_000);
    await expect.poll(() => text(p, 'open')).toBe(String(answer.open + 1));
    await p.close();
  });
});

describe('accessibility (axe-core)', () => {
  it.each(consoleViews.map((v) => [v.name, v] as const))('%s has no serious or critical violations', async (_name, v) => {
    await page.goto(`${t.stack.apiUrl}/console/${v.hash}`);
    await page.locator(v.ready).first().waitFor({ timeout: 20_000 });
    await v.act?.(page);
    // Evaluated through DevTools: the console's CSP (rightly) refuses inline scripts.
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe;
      return axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'] });
    });
    const bad = result.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => `${x.id} (${x.nodes.length}): ${JSON.stringify(x.nodes.map((n) => (n as { target: unknown }).target)).slice(0, 200)}`);
    expect(bad).toEqual([]);
  });

  it('the sign-in page too', async () => {
    const p = await browser.newPage();
    await p.goto(`${t.stack.apiUrl}/console/#/login`);
    await p.locator('[data-testid="login-qr"] svg').waitFor();
    await p.evaluate(axeSource);
    const result = await p.evaluate(async () => (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] }));
    expect(result.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => x.id)).toEqual([]);
    await p.close();
  });
});
