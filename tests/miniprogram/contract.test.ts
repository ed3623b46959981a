import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

import { beforeAll, describe, expect, inject, it } from 'vitest';

import { clientLinksFile, clientLinksSource, clientRoutesFile, clientRoutesSource } from '../../infra/local/generate-client-routes';
import { seedDemoData } from '../../infra/local/seed';
import { careMode } from '../../miniprogram/logic/care-mode';
import { createOfflineQueue, submitOrKeep } from '../../miniprogram/logic/offline-queue';
import { createPagedList } from '../../miniprogram/logic/paged-list';
import { formFor, missingAnswers, submission } from '../../miniprogram/logic/request-form';
import { ApiError, NetworkError } from '../../miniprogram/services/http';
import { getAppConfig, getJobs, getMe, getMyRequests, getRequestTypes, postRequest } from '../../miniprogram/services/routes';
import { links } from '../../shared/links';
import { useTestStack } from '../support/stack';
import { client, memoryStorage } from './client';

/**
 * The mini-program's typed service and page logic against the real local server: a server
 * change that breaks the client's expectations fails here.
 */
const t = useTestStack();

beforeAll(async () => {
  await seedDemoData();
});

describe('the typed HTTP service', () => {
  it('logs in with wx.login on first use, renews silently with the refresh token on 401, and logs in again only when that fails', async () => {
    const c = client(t.stack.apiUrl, 'dev-resident-1');
    const me = await c.http.call(getMe);
    expect(me).toMatchObject({ userId: 'resident-1', roles: ['resident'] });
    expect(c.logins()).toBe(1);
    const firstRefresh = c.storage.get('anzhi.refresh');
    expect(firstRefresh).toMatch(/\.1\./);
    // An expired access token: three calls at once find it refused, one refresh serves them all.
    c.storage.set('anzhi.token', 'expired-or-tampered');
    const again = await Promise.all([c.http.call(getMe), c.http.call(getMe), c.http.call(getMyRequests)]);
    expect(again[0].userId).toBe('resident-1');
    expect(c.logins()).toBe(1);
    expect(c.storage.get('anzhi.refresh')).toMatch(/\.2\./);
    // Both tokens unusable (the session ended elsewhere): wx.login again.
    c.storage.set('anzhi.token', 'expired-or-tampered');
    c.storage.set('anzhi.refresh', firstRefresh!);
    expect((await c.http.call(getMe)).userId).toBe('resident-1');
    expect(c.logins()).toBe(2);
  });

  it('logs in once when a fresh phone makes several calls at once', async () => {
    const c = client(t.stack.apiUrl, 'dev-resident-5');
    const [me, jobs, mine] = await Promise.all([c.http.call(getMe), c.http.call(getJobs, { query: { limit: 1 } }), c.http.call(getMyRequests)]);
    expect(me.userId).toBe('resident-5');
    expect(jobs.items).toHaveLength(1);
    expect(mine.items).toEqual([]);
    expect(c.logins()).toBe(1);
  });

  it('gets the subscribe-message template ids from the deployment', async () => {
    const c = client(t.stack.apiUrl, 'dev-resident-6');
    const { subscribeTemplates } = await c.http.call(getAppConfig);
    expect(subscribeTemplates).toEqual({
      request_assigned: 'local-request_assigned',
      request_informed: 'local-request_informed',
      request_status: 'local-request_status',
      request_overdue: 'local-request_overdue',
      application_status: 'local-application_status',
      signup_status: 'local-signup_status',
      activity_reminder: 'local-activity_reminder',
      consultation_reminder: 'local-consultation_reminder',
      legal_case: 'local-legal_case',
    });
  });

  it('turns the error contract into a Chinese message and field messages', async () => {
    const c = client(t.stack.apiUrl, 'dev-resident-1');
    const err = await c.http.call(postRequest, { body: { typeCode: 'livelihood', description: '灯', fields: { category: 'gas' } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('提交的内容有误，请检查标出的项目');
    expect((err as ApiError).fieldMessages()).toMatchObject({ description: '请简单描述一下情况（至少 5 个字）' });
  });

  it('builds the request form from the catalogue and submits what the server accepts', async () => {
    const c = client(t.stack.apiUrl, 'dev-resident-2');
    const { items } = await c.http.call(getRequestTypes);
    const type = items.find((x) => x.code === 'livelihood')!;
    const controls = formFor(type);
    expect(controls.map((x) => `${x.code}:${x.kind}`)).toEqual(['category:picker', 'location:input', 'urgent:switch']);
    expect(missingAnswers(controls, {}, '水管')).toEqual({ description: '请简单描述一下情况（至少 5 个字）', category: '请填写「问题类别」', location: '请填写「具体位置（楼栋/单元/门牌）」' });
    const body = submission(type, { category: 'water', location: '5栋', urgent: true }, '水管爆了，楼道全是水');
    const created = await c.http.call(postRequest, { body, idempotencyKey: 'form-test-0001' });
    expect(created).toMatchObject({ status: 'submitted', typeName: '民生诉求' });
  });

  it('pages the job list to the end, every job once', async () => {
    const c = client(t.stack.apiUrl, 'dev-resident-3');
    const list = createPagedList((f: { employerKind?: 'workshop' }, cursor) => c.http.call(getJobs, { query: { ...f, cursor, limit: 7 } }), { employerKind: 'workshop' });
    await list.refresh();
    while (!list.state.done) await list.more();
    const ids = list.state.items.map((j) => j.jobId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(56); // 28 workshops x 2 jobs in the demo data
    expect(list.state.items.every((j) => j.employerKind === 'workshop')).toBe(true);
  });
});

describe('offline submission', () => {
  it('keeps a submission made offline and sends it exactly once when the network returns', async () => {
    let online = false;
    const c = client(t.stack.apiUrl, 'dev-resident-4', { online: () => online });
    // Log in while online (the phone had a session), then lose the network.
    online = true;
    await c.http.call(getMe);
    online = false;
    const queue = createOfflineQueue(c.storage);
    const body = { typeCode: 'other', description: '断网时提交的诉求：路灯坏了', fields: {} };
    const kept = await submitOrKeep(queue, 'request', body, (b, key) => c.http.call(postRequest, { body: b, idempotencyKey: key }));
    expect(kept.sent).toBe(false);
    expect(queue.pending()).toHaveLength(1);

    online = true;
    const send = async (item: { payload: unknown; idempotencyKey: string }) => {
      await c.http.call(postRequest, { body: item.payload as typeof body, idempotencyKey: item.idempotencyKey });
    };
    // Two flushes racing (two network events) and a third later: still one request on the server.
    await Promise.all([queue.flush(send), queue.flush(send)]);
    await queue.flush(send);
    expect(queue.pending()).toHaveLength(0);
    const mine = await c.http.call(getMyRequests, { query: { limit: 50 } });
    expect(mine.items.filter((r) => r.description === body.description)).toHaveLength(1);
  });
});

describe('the offline queue', () => {
  it('keeps what a failed attempt recorded (uploaded photo keys), so the next attempt repeats the same body', async () => {
    const queue = createOfflineQueue(memoryStorage());
    queue.add('request', { body: { typeCode: 'other' }, photoPaths: ['a.jpg', 'b.jpg'], photoKeys: [] as string[] });
    const first = await queue.flush(async (item) => {
      (item.payload as { photoKeys: string[] }).photoKeys.push('uploads/u/1.jpg');
      throw new NetworkError();
    });
    expect(first).toEqual({ sent: 0, failed: 0, left: 1, refused: [], retryAt: null });
    expect((queue.pending()[0]!.payload as { photoKeys: string[] }).photoKeys).toEqual(['uploads/u/1.jpg']);
    const seen: unknown[] = [];
    expect(await queue.flush(async (item) => void seen.push(structuredClone(item.payload)))).toEqual({ sent: 1, failed: 0, left: 0, refused: [], retryAt: null });
    expect(seen).toEqual([{ body: { typeCode: 'other' }, photoPaths: ['a.jpg', 'b.jpg'], photoKeys: ['uploads/u/1.jpg'] }]);
  });
});

describe('the offline queue after server faults', () => {
  const t0 = new Date('2026-11-29T12:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);

  it('keeps a submission the server failed (5xx, 429, 408) and retries it after a growing backoff, in order', async () => {
    const queue = createOfflineQueue(memoryStorage());
    queue.add('request', { n: 1 });
    queue.add('request', { n: 2 });
    const answers = [new ApiError(503, 'UNAVAILABLE', '服务暂时繁忙'), new ApiError(429, 'TOO_MANY', '操作太频繁'), new ApiError(500, 'INTERNAL', '系统出了点问题')];
    const tried: unknown[] = [];
    const failing = async (item: { payload: unknown }) => {
      tried.push(item.payload);
      throw answers.shift()!;
    };
    expect(await queue.flush(failing, t0)).toEqual({ sent: 0, failed: 0, left: 2, refused: [], retryAt: at(30_000).toISOString() });
    // Not due yet: nothing is tried, and the second never jumps the queue.
    expect(await queue.flush(failing, at(29_000))).toMatchObject({ sent: 0, left: 2 });
    expect(await queue.flush(failing, at(30_000))).toMatchObject({ left: 2, retryAt: at(30_000 + 60_000).toISOString() });
    expect(await queue.flush(failing, at(90_000))).toMatchObject({ left: 2, retryAt: at(90_000 + 120_000).toISOString() });
    expect(tried).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }]);
    expect(queue.pending()[0]).toMatchObject({ attempts: 3 });
    const sent: unknown[] = [];
    expect(await queue.flush(async (item) => void sent.push(item.payload), at(210_000))).toEqual({ sent: 2, failed: 0, left: 0, refused: [], retryAt: null });
    expect(sent).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('drops only what the server refused for good (4xx), and says why', async () => {
    const queue = createOfflineQueue(memoryStorage());
    queue.add('request', { n: 1 });
    queue.add('request', { n: 2 });
    const r = await queue.flush(async (item) => {
      if ((item.payload as { n: number }).n === 1) throw new ApiError(400, 'UNKNOWN_REQUEST_TYPE', '没有这种诉求类型，请重新选择');
    }, t0);
    expect(r).toEqual({ sent: 1, failed: 1, left: 0, refused: [{ kind: 'request', message: '没有这种诉求类型，请重新选择' }], retryAt: null });
  });

  it('keeps a submission whose first attempt met a server fault, instead of losing the resident\'s words', async () => {
    const queue = createOfflineQueue(memoryStorage());
    const kept = await submitOrKeep(queue, 'request', { n: 1 }, async () => {
      throw new ApiError(502, 'HTTP_502', '系统繁忙');
    });
    expect(kept.sent).toBe(false);
    expect(queue.pending()).toHaveLength(1);
    await expect(submitOrKeep(queue, 'request', { n: 2 }, async () => {
      throw new ApiError(400, 'VALIDATION_FAILED', '提交的内容有误');
    })).rejects.toThrow('提交的内容有误');
    expect(queue.pending()).toHaveLength(1);
  });
});

describe('the client\'s route table', () => {
  it('is the generated copy of the shared route table (npm run miniprogram:routes)', () => {
    expect(readFileSync(clientRoutesFile, 'utf8')).toBe(clientRoutesSource());
  });

  it('has the generated copy of the deep-link builders, which import nothing', () => {
    expect(readFileSync(clientLinksFile, 'utf8')).toBe(clientLinksSource());
    expect(readFileSync(clientLinksFile, 'utf8')).not.toMatch(/^import /m);
  });

  it('builds deep links only to pages of app.json, with exactly the parameters each page reads', () => {
    const appPages = (JSON.parse(readFileSync('miniprogram/app.json', 'utf8')) as { pages: string[] }).pages;
    // Every builder with every optional part given.
    const built = [
      links.request('R1', 'handler'),
      links.request('R1'),
      links.activity('A1'),
      links.activities(),
      links.joinTeam('T01', '义诊志愿服务队'),
      links.teamApplications(),
      links.job('J1'),
      links.myApplications(),
      links.mySignups(),
      links.myRequests(),
      links.myNotices(),
      links.inbox(),
      links.visitLog('V1', '3栋 2单元', 'red'),
      links.jobApplicants('J1', '缝纫工'),
      links.consoleLogin('L1'),
      links.requestOnBehalf('H000001', 'G001'),
      links.legalSlots('S1'),
      links.legalBook('S1', '12月3日（周四）09:00–11:30', '到中心面谈 · 1 号接待室'),
      links.myConsultations(),
      links.legalDuty(),
      links.legalSlot('S1'),
      links.legalAidApply('S1'),
      links.mediationApply('S1'),
      links.myLegalCases(),
      links.legalAid('A1'),
      links.mediationCase('M1'),
      links.legalDesk(),
    ];
    expect(built.length).toBe(Object.keys(links).length + 1);
    const paramsOf = new Map<string, Set<string>>();
    for (const link of built) {
      const [path, qs = ''] = link.split('?') as [string, string?];
      expect(appPages, link).toContain(path);
      const names = paramsOf.get(path) ?? new Set<string>();
      for (const k of new URLSearchParams(qs).keys()) names.add(k);
      paramsOf.set(path, names);
    }
    for (const [path, names] of paramsOf) {
      const source = readFileSync(`miniprogram/${path}.ts`, 'utf8');
      const read = new Set([...source.matchAll(/query\.(\w+)|param\(query, '(\w+)'\)/g)].map((m) => m[1] ?? m[2]!));
      expect([...read].sort(), path).toEqual([...names].sort());
    }
  });

  it('compiles to a package whose code requires only its own files and its packed npm packages (no zod, nothing from shared/)', () => {
    const root = inject('miniprogramRoot');
    const npm = Object.keys(JSON.parse(readFileSync('miniprogram/package.json', 'utf8')).dependencies);
    expect(npm).toEqual(['qrcode-generator']);
    for (const name of npm) expect(existsSync(join(root, 'miniprogram_npm', name, 'index.js'))).toBe(true);
    const js = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(20);
    const outside: string[] = [];
    let requires = 0;
    for (const file of js) {
      for (const [, spec] of readFileSync(join(root, file), 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
        const target = resolve(dirname(join(root, file)), spec!);
        requires++;
        if (npm.includes(spec!)) continue;
        if (!spec!.startsWith('.') || relative(root, target).startsWith('..') || !existsSync(`${target}.js`)) outside.push(`${file} -> ${spec}`);
      }
    }
    expect(requires).toBeGreaterThan(60); // every page requires its services and logic
    expect(outside).toEqual([]);
  });

  it('imports nothing at run time from outside the mini-program (types only)', () => {
    const runtimeImports = readFileSync(clientRoutesFile, 'utf8').split('\n').filter((l) => l.startsWith('import ') && !l.startsWith('import type'));
    expect(runtimeImports).toEqual([]);
  });
});

describe('care mode', () => {
  it('is remembered on the phone', () => {
    const storage = memoryStorage();
    expect(careMode(storage).rootClass()).toBe('normal');
    careMode(storage).set(true);
    expect(careMode(storage).rootClass()).toBe('care');
  });
});
