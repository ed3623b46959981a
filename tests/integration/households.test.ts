import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';

import { demoRoster } from '../../infra/local/demo-data';
import { seedDemoData } from '../../infra/local/seed';
import { ddb } from '../../shared/aws';
import { config } from '../../shared/config';
import { keys } from '../../shared/db/keys';
import { importRoster } from '../../shared/households/import';
import { myVisits, planVisits, updateHousehold } from '../../shared/households/use-cases';
import { tokenAs } from '../fixtures/principals';
import { useTestStack } from '../support/stack';

const t = useTestStack();
const call = t.call;
const admin = { userId: 'admin-1', roles: ['admin' as const] };
let tk: Record<string, string> = {};

beforeAll(async () => {
  await seedDemoData();
  tk = {
    admin: await tokenAs('admin'),
    community: await tokenAs('community_staff', 'cs-C01'),
    otherCommunity: await tokenAs('community_staff', 'cs-C02'),
    worker: await tokenAs('grid_worker', 'gw-G001-ft'),
    otherWorker: await tokenAs('grid_worker', 'gw-G002-ft'),
  };
});

describe('POST /v1/households/import', () => {
  it('imports the documented sample file, stores numbers sealed, and changes nothing on re-import', async () => {
    const csv = readFileSync(resolve(import.meta.dirname, '../../docs/household-roster.sample.csv'), 'utf8');
    const first = await call('POST', '/v1/households/import', { token: tk.admin, body: { csv } });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ households: 6, members: 18, created: 6, updated: 0, unchanged: 0 });
    const again = await call('POST', '/v1/households/import', { token: tk.admin, body: { csv } });
    expect(again.body).toEqual({ households: 6, members: 18, created: 0, updated: 0, unchanged: 6 });
    const raw = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.household('S000001') }));
    const firstId = csv.split('\n')[1]!.split(',')[8]!;
    expect(JSON.stringify(raw.Item)).not.toContain(firstId);
    expect(raw.Item?.version).toBe(1);
    const list = await call('GET', '/v1/grids/G001/households?colour=red', { token: tk.worker });
    const h = list.body.items.find((x: { householdId: string }) => x.householdId === 'S000001');
    expect(h.members[0]).toMatchObject({ name: '王秀英', relation: '户主', idMasked: `${firstId.slice(0, 4)}**********${firstId.slice(-4)}`, tags: ['elderly_alone', 'low_income'] });
  });

  it('reports every bad row with its line number and imports nothing', async () => {
    const good = demoRoster(3, { prefix: 'B' }).trimEnd().split('\n');
    const bad = [
      ...good,
      'B000004,G999,某地,,红,,张三,户主,520000195001010003,123,19x0,会飞',
      'B000001,G002,安置区1栋1单元100室,第1居民小组,红,独居老人，慢性病,赵四,子女,,,,',
    ].join('\n');
    const res = await call('POST', '/v1/households/import', { token: tk.admin, body: { csv: bad } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^花名册有 \d+ 处错误，未导入任何数据/);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual([
      'line 11.phone',
      'line 11.birth_year',
      'line 11.tags',
      'line 12.grid_id',
    ]);
    expect(res.body.error.details[2].message).toBe('未知标签「会飞」');
    const nothing = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.household('B000001') }));
    expect(nothing.Item).toBeUndefined();
  });

  it('echoes a number typed into a cell only masked, in the answer and in the logs', async () => {
    const [header, row] = demoRoster(1, { prefix: 'P' }).trimEnd().split('\n') as [string, string];
    const cells = row.split(',');
    const idNumber = cells[8]!;
    cells[11] = `${idNumber}abc`;
    const res = await call('POST', '/v1/households/import', { token: tk.admin, body: { csv: `${header}\n${cells.join(',')}\n` } });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'line 2.tags', reason: 'custom', message: `未知标签「${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}abc」` }]);
    expect(JSON.stringify(res.body)).not.toContain(idNumber);
  });

  it('refuses community staff rows outside their community', async () => {
    const csv = demoRoster(20, { prefix: 'C' }); // spreads over G001..G020: C01 has G001..G016
    const res = await call('POST', '/v1/households/import', { token: tk.community, body: { csv } });
    expect(res.status).toBe(400);
    expect(new Set(res.body.error.details.map((d: { reason: string }) => d.reason))).toEqual(new Set(['out_of_scope']));
    expect(res.body.error.details).toHaveLength(4);
  });
});

describe('grid households', () => {
  it('are scoped: the grid\'s worker and community see them, others do not', async () => {
    expect((await call('GET', '/v1/grids/G001/households', { token: tk.worker })).status).toBe(200);
    expect((await call('GET', '/v1/grids/G001/households', { token: tk.community })).status).toBe(200);
    expect((await call('GET', '/v1/grids/G001/households', { token: tk.otherWorker })).status).toBe(403);
    expect((await call('GET', '/v1/grids/G001/households', { token: tk.otherCommunity })).status).toBe(403);
  });

  it('filter by colour and tag', async () => {
    const red = await call('GET', '/v1/grids/G001/households?colour=red&limit=100', { token: tk.worker });
    expect(red.body.items.length).toBeGreaterThan(0);
    expect(red.body.items.every((h: { colour: string }) => h.colour === 'red')).toBe(true);
    const alone = await call('GET', '/v1/grids/G001/households?tag=elderly_alone&limit=100', { token: tk.worker });
    expect(alone.body.items.every((h: { tags: string[] }) => h.tags.includes('elderly_alone'))).toBe(true);
  });

  it('change colour only through community staff, with history; a grid worker proposes by visit log', async () => {
    const h = (await call('GET', '/v1/grids/G001/households?colour=green&limit=1', { token: tk.worker })).body.items[0];
    const byWorker = await call('PATCH', `/v1/households/${h.householdId}`, { token: tk.worker, body: { colour: 'yellow', reason: '家里老人住院' } });
    expect(byWorker.status).toBe(403);
    expect(byWorker.body.error.code).toBe('COLOUR_NEEDS_COMMUNITY');
    const byCommunity = await call('PATCH', `/v1/households/${h.householdId}`, { token: tk.community, body: { colour: 'yellow', reason: '家里老人住院' } });
    expect(byCommunity.body).toMatchObject({ colour: 'yellow', colourReason: '家里老人住院', version: h.version + 1 });
  });
});

describe('the visit plan (controllable clock)', () => {
  it('creates red daily, yellow weekly and green monthly over a simulated month, idempotently', async () => {
    // A roster of its own grid to count exactly: G128 has the seed's two households plus these.
    await importRoster(admin, demoRoster(3, { prefix: 'P', grids: 1 }).replaceAll(',G001,', ',G128,'));
    const start = new Date('2027-02-01T00:00:00+08:00'); // a Monday; February 2027 has 28 days
    const workers = ['gw-G128-ft', 'gw-G128-pt'];
    for (let d = 0; d < 28; d++) {
      const now = new Date(start.getTime() + d * 86_400_000 + 6 * 3600_000);
      const first = await planVisits(now, { gridIds: ['G128'] });
      const second = await planVisits(now, { gridIds: ['G128'] });
      expect(second.created).toBe(0);
      // The second run of a day reads only what is left to plan (red every day; yellow and green
      // only where the week's / month's plan is not made yet), and finds every one of those made.
      expect(second.existing).toBe(second.households);
      expect(second.households).toBeLessThanOrEqual(first.households);
    }
    const visits: Awaited<ReturnType<typeof myVisits>>['items'] = [];
    for (const w of workers) {
      let cursor: string | undefined;
      do {
        const page = await myVisits({ userId: w, roles: ['grid_worker'], gridId: 'G128' }, 100, cursor, new Date('2027-02-28T12:00:00+08:00'));
        visits.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    const of = (hh: string) => visits.filter((v) => v.householdId === hh);
    // P000001 is red (every 10th), P000002 green, P000003 green; the seed's G128 households are H000128 (green) and H000256 (green).
    expect(of('P000001')).toHaveLength(28);
    expect(of('P000002')).toHaveLength(1);
    expect(of('P000001').every((v) => v.colour === 'red')).toBe(true);
    expect(new Set(visits.map((v) => v.visitId)).size).toBe(visits.length);
  });

  it('two plan runs at once create each task once and count it once (tasks and figures in one transaction)', async () => {
    const now = new Date('2027-05-03T06:00:00+08:00');
    const dueOf = async () => {
      const v = await call('GET', '/v1/stats?month=2027-05&by=grid&domain=visits', { token: tk.admin });
      return Number(v.body.visits.find((r: { key: string }) => r.key === 'G126')?.due ?? 0);
    };
    expect(await dueOf()).toBe(0);
    const runs = await Promise.all([planVisits(now, { gridIds: ['G126'] }), planVisits(now, { gridIds: ['G126'] }), planVisits(now, { gridIds: ['G126'] })]);
    const households = runs[0]!.households;
    expect(households).toBeGreaterThan(0);
    expect(runs.reduce((n, r) => n + r.created, 0)).toBe(households);
    expect(runs.reduce((n, r) => n + r.existing, 0)).toBe(2 * households);
    expect(await dueOf()).toBe(households);
    // And once more the next minute: nothing created, nothing counted.
    expect((await planVisits(now, { gridIds: ['G126'] })).created).toBe(0);
    expect(await dueOf()).toBe(households);
  });

  it('gives yellow households one visit a week, due on Sunday, spread between the two workers', async () => {
    await importRoster(admin, demoRoster(5, { prefix: 'Q', grids: 1 }).replaceAll(',G001,', ',G127,'));
    // Q000005 is yellow (every 4th, i = 4).
    for (let d = 0; d < 14; d++) await planVisits(new Date(Date.parse('2027-03-01T06:00:00+08:00') + d * 86_400_000), { gridIds: ['G127'] });
    const all: (Awaited<ReturnType<typeof myVisits>>['items'][number] & { w: string })[] = [];
    for (const w of ['gw-G127-ft', 'gw-G127-pt']) all.push(...(await myVisits({ userId: w, roles: ['grid_worker'], gridId: 'G127' }, 100, undefined, new Date('2027-03-14T12:00:00+08:00'))).items.map((v) => ({ ...v, w })));
    const yellow = all.filter((v) => v.householdId === 'Q000005');
    expect(yellow.map((v) => v.dueDate).sort()).toEqual(['2027-03-07', '2027-03-14']);
    expect(new Set(all.map((v) => v.w)).size).toBe(2);
  });

  it('logs a visit once, with a proposed colour that community staff then confirm', async () => {
    const plan = await planVisits(new Date('2027-04-01T06:00:00+08:00'));
    expect(plan.households).toBeGreaterThanOrEqual(256);
    // Whichever of G001's two workers holds a non-red visit logs it.
    let visit: Awaited<ReturnType<typeof myVisits>>['items'][number] | undefined;
    let workerToken = '';
    for (const w of ['gw-G001-ft', 'gw-G001-pt']) {
      const mine = await myVisits({ userId: w, roles: ['grid_worker'], gridId: 'G001' }, 100, undefined, new Date('2027-04-01T12:00:00+08:00'));
      visit ??= mine.items.find((v) => v.colour !== 'red');
      if (visit && !workerToken) workerToken = await tokenAs('grid_worker', w);
    }
    if (!visit) throw new Error('no non-red visit in G001');
    const res = await call('POST', `/v1/visits/${visit.visitId}/log`, {
      token: workerToken,
      body: { notes: '老人摔伤，子女在外务工', findings: ['行动不便'], proposedColour: 'red', proposedReason: '需每日照看' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'done', proposal: '红灯（每日随访）' });
    expect((await call('POST', `/v1/visits/${visit.visitId}/log`, { token: workerToken, body: { notes: '再记一次' } })).body.error.code).toBe('ALREADY_LOGGED');
    expect((await call('POST', `/v1/visits/${visit.visitId}/log`, { token: tk.otherWorker, body: { notes: '不是我的' } })).status).toBe(403);
    const list = await call('GET', '/v1/grids/G001/households?limit=100', { token: tk.community });
    const h = list.body.items.find((x: { householdId: string }) => x.householdId === visit.householdId);
    expect(h.pendingColour).toMatchObject({ colour: 'red', reason: '需每日照看', visitId: visit.visitId });
    const confirmed = await call('PATCH', `/v1/households/${visit.householdId}`, { token: tk.community, body: { colour: 'red', reason: '确认网格员建议：需每日照看' } });
    expect(confirmed.body).toMatchObject({ colour: 'red', pendingColour: null });
  });
});

describe('household and visit figures', () => {
  it('count households by colour per grid, and the month\'s visits', async () => {
    const hh = await call('GET', '/v1/stats?month=2027-02&by=grid&domain=households', { token: tk.admin });
    const g128 = hh.body.households.find((r: { key: string }) => r.key === 'G128');
    expect(g128.red + g128.yellow + g128.green).toBe(5);
    expect(g128.communityId).toBe('C08');
    const v = await call('GET', '/v1/stats?month=2027-02&by=grid&domain=visits', { token: tk.admin });
    const vg = v.body.visits.find((r: { key: string }) => r.key === 'G128');
    expect(vg.due).toBeGreaterThanOrEqual(28 + 4);
    const mine = await call('GET', '/v1/stats?month=2027-02&by=grid&domain=households', { token: tk.community });
    expect(mine.body.households.every((r: { communityId: string }) => r.communityId === 'C01')).toBe(true);
  });
});

describe('the visit plan per period (#18): red daily, yellow and green once a week / month', () => {
  const grid = 'G125';
  const day = (d: string) => new Date(`${d}T06:00:00+08:00`);
  const visitIdsOf = async (at: string) => {
    const ids: string[] = [];
    for (const w of ['gw-G125-ft', 'gw-G125-pt']) ids.push(...(await myVisits({ userId: w, roles: ['grid_worker'], gridId: grid }, 100, undefined, new Date(`${at}T12:00:00+08:00`))).items.map((v) => v.visitId));
    return ids;
  };

  it('plans the week and month on the first run, then only the red households; a colour change and an import mid-period get their visits', async () => {
    // G125: the seed's H000125 and H000253 (yellow) and R000001 (red), R000005 (yellow), R000002–4 and R000006 (green).
    await importRoster(admin, demoRoster(6, { prefix: 'R', grids: 1 }).replaceAll(',G001,', ',G125,'));
    // Monday 2027-06-07: the week's and the month's plans, and today's red.
    expect(await planVisits(day('2027-06-07'), { gridIds: [grid] })).toEqual({ households: 8, created: 8, existing: 0 });
    // Tuesday: only the red household is read and planned.
    expect(await planVisits(day('2027-06-08'), { gridIds: [grid] })).toEqual({ households: 1, created: 1, existing: 0 });

    // Wednesday: a green household turns yellow — its visit for this week comes with the change.
    expect(await updateHousehold(admin, 'R000002', { colour: 'yellow', reason: '家中有人失业' }, new Date('2027-06-09T10:00:00+08:00'))).toMatchObject({ colour: 'yellow' });
    expect(await visitIdsOf('2027-06-09')).toContain('Y2027W23-R000002');
    expect(await planVisits(day('2027-06-09'), { gridIds: [grid] })).toEqual({ households: 1, created: 1, existing: 0 });

    // Thursday: two households imported into the grid (S000001 red, S000002 green): the import clears
    // the grid's plans, so this run plans the whole grid again — finding the week's and month's
    // visits made, making only the new ones and today's reds.
    await importRoster(admin, demoRoster(2, { prefix: 'S', grids: 1 }).replaceAll(',G001,', ',G125,'), new Date('2027-06-09T20:00:00+08:00'));
    expect(await planVisits(day('2027-06-10'), { gridIds: [grid] })).toEqual({ households: 10, created: 3, existing: 7 });
    expect(await visitIdsOf('2027-06-10')).toEqual(expect.arrayContaining(['R20270610-R000001', 'R20270610-S000001', 'G202706-S000002']));
    // Friday: the reds only again.
    expect(await planVisits(day('2027-06-11'), { gridIds: [grid] })).toEqual({ households: 2, created: 2, existing: 0 });
  });
});
