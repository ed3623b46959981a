import type { Principal } from '../../shared/auth/principal';
import { batchPut } from '../../shared/db/batch';
import { keys } from '../../shared/db/keys';
import { ConflictError } from '../../shared/errors';
import { requestType } from '../../shared/requests/catalogue';
import { getRequest } from '../../shared/requests/repository';
import { act, routeRequest, type SubmitInput,submitRequest } from '../../shared/requests/use-cases';
import { atBeijing, beijingMonth } from '../../shared/time';
import { principalOf } from '../../shared/users/model';
import { getUser } from '../../shared/users/repository';
import { demoOrganisation, personName } from './demo-data';
import { seedOnce } from './seed';

/**
 * Twelve months of believable request history, so that a fresh `npm start` shows living charts:
 * every type, realistic times to accept and resolve, some late, some escalated once or twice,
 * mediation agreements, ratings skewed to the good, and the last days still open. Generated
 * deterministically (a fixed PRNG) and written through the same use-cases as the API on each
 * moment's own clock, so every counter the console reads is what the items say (npm run recount).
 * About 30 requests a month (the real town has more; this is enough for the charts and fast).
 */
const perMonthBase = 24;
const hour = 3600_000;

/** mulberry32: a small deterministic PRNG (same history on every machine). */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const bodies: Record<string, (r: () => number) => SubmitInput> = {
  livelihood: (r) => ({
    typeCode: 'livelihood',
    description: ['楼道灯坏了，晚上看不见路', '厨房水管漏水，楼下也渗水了', '小区垃圾桶满了几天没人清运', '家里突然停电，电表箱冒烟'][Math.floor(r() * 4)]!,
    fields: { category: ['power', 'water', 'environment', 'housing_repair'][Math.floor(r() * 4)]!, location: `${1 + Math.floor(r() * 30)}栋${1 + Math.floor(r() * 4)}单元`, urgent: r() < 0.2 },
  }),
  employment_help: (r) => ({ typeCode: 'employment_help', description: '想找一份离家近的工作，会缝纫', fields: { need: [['job', 'training', 'welfare_post', 'transfer'][Math.floor(r() * 4)]!] } }),
  dispute_mediation: (r) => ({
    typeCode: 'dispute_mediation',
    description: ['邻居装修噪音太大，协商不成', '兄弟之间为老人赡养费吵架', '宅基地边界有争议', '借给老乡的钱一直不还'][Math.floor(r() * 4)]!,
    fields: { disputeKind: ['neighbours', 'family', 'land', 'debt'][Math.floor(r() * 4)]!, otherParty: '对方当事人' },
  }),
  legal_aid: (r) => ({ typeCode: 'legal_aid', description: '在外务工被拖欠工资，老板不接电话', fields: { matter: 'wage_arrears', amount: 3000 + Math.floor(r() * 30) * 1000 } }),
  other: () => ({ typeCode: 'other', description: '想咨询孩子转学需要哪些材料', fields: {} }),
};
const typeWeights: [string, number][] = [['livelihood', 0.5], ['employment_help', 0.14], ['dispute_mediation', 0.14], ['legal_aid', 0.1], ['other', 0.12]];

function pick<T>(r: () => number, weighted: [T, number][]): T {
  let x = r();
  for (const [v, w] of weighted) if ((x -= w) < 0) return v;
  return weighted.at(-1)![0];
}

/** One resident per grid for the history (the demo's own residents live in 20 grids only). */
function historyResidents() {
  return demoOrganisation().grids.map((g, i) => ({ userId: `hist-${g.id}`, name: personName(500 + i), gridId: g.id, communityId: g.communityId }));
}

export async function seedHistory(now = new Date()): Promise<{ created: boolean; summary: string }> {
  return seedOnce('history-v1', '12 months of request history', now, async (at) => {
    await batchPut(historyResidents().map((u) => ({ ...keys.user(u.userId), type: 'User', ...u, roles: ['resident'], createdAt: at, updatedAt: at, version: 1 })));
    const residents = historyResidents();
    const r = prng(20261129);
    const jobs: (() => Promise<void>)[] = [];
    const [y, m] = beijingMonth(now).split('-').map(Number) as [number, number];
    for (let back = 11; back >= 0; back--) {
      const month = new Date(Date.UTC(y, m - 1 - back, 1)).toISOString().slice(0, 7);
      const first = atBeijing(`${month}-01`);
      const count = perMonthBase + Math.floor(r() * 12);
      for (let k = 0; k < count; k++) {
        const created = new Date(first.getTime() + Math.floor(r() * 28 * 24) * hour + Math.floor(r() * 10) * hour);
        // Nothing after now; the last three days stay open (the live figures need open requests).
        if (created.getTime() > now.getTime() - 2 * hour) continue;
        const resident = residents[Math.floor(r() * residents.length)]!;
        const typeCode = pick(r, typeWeights);
        const plan = { body: bodies[typeCode]!(r), roll: r(), rate: r(), score: pick(r, [[5, 0.5], [4, 0.3], [3, 0.1], [2, 0.07], [1, 0.03]] as [number, number][]), speed: 0.05 + r() * 0.6 };
        const key = `history-${jobs.length}`;
        jobs.push(() => playOut(resident, created, plan, now, key));
      }
    }
    // A few at a time: DynamoDB Local on two cores.
    let next = 0;
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < jobs.length) await jobs[next++]!().catch((err: Error) => failures.push(`${err.name}: ${err.message}`));
      }),
    );
    if (failures.length) console.warn(`[history] ${failures.length} of ${jobs.length} histories stopped early, e.g. ${[...new Set(failures)].slice(0, 3).join(' | ')}`);
  });
}

type Plan = { body: SubmitInput; roll: number; rate: number; score: number; speed: number };

/** One request's life, each step on its own clock; stops at `now` (what is later has not happened yet). */
async function playOut(resident: { userId: string; gridId: string; communityId: string }, created: Date, plan: Plan, now: Date, idempotencyKey: string): Promise<void> {
  const type = requestType(plan.body.typeCode)!;
  const requester: Principal = { userId: resident.userId, roles: ['resident'], gridId: resident.gridId, communityId: resident.communityId };
  // Keyed: a start killed halfway through the history replays the same requests next time
  // instead of making new ones (the steps it had done are then refused and skipped).
  const { requestId } = await submitRequest(requester, plan.body, idempotencyKey, created);
  await routeRequest(requestId, new Date(created.getTime() + 60_000));
  const when = (ms: number) => new Date(created.getTime() + ms);
  const handler = async (): Promise<Principal> => {
    const v = (await getRequest(requestId, true))!;
    if (v.level === 'community') return principalOf((await getUser(`cs-${resident.communityId}`))!);
    if (v.level === 'street') return principalOf((await getUser('street-1'))!);
    return principalOf((await getUser(v.assigneeId ?? `gw-${resident.gridId}-ft`))!);
  };
  const step = async (at: Date, fn: () => Promise<unknown>) => {
    if (at.getTime() > now.getTime()) return false;
    try {
      await fn();
    } catch (err) {
      // Done before a crash (a replay): the state has moved on, which is what this step wanted.
      if (!(err instanceof ConflictError)) throw err;
    }
    return true;
  };
  const resolveIn = type.sla.resolveHours * hour;
  const acceptAt = when(Math.min(type.sla.acceptMinutes * 60_000 * plan.speed, 20 * hour));
  // 6% are never accepted in time: the live SLA sweep escalates them (overdue on the board).
  if (plan.roll < 0.06 && now.getTime() - created.getTime() < 3 * 24 * hour) return;
  if (!(await step(acceptAt, async () => act(await handler(), requestId, { action: 'accept' }, acceptAt)))) return;

  let t = acceptAt.getTime();
  // Legal aid goes from the legal centre straight to the sub-district: one level only.
  const escalations = Math.min(plan.roll > 0.92 ? 2 : plan.roll > 0.84 ? 1 : 0, type.handler === 'legal_officer' ? 1 : 2);
  for (let e = 0; e < escalations; e++) {
    t += 20 * hour;
    const at = new Date(t);
    if (!(await step(at, async () => act(await handler(), requestId, { action: 'escalate', reason: '需要上级协调解决' }, at)))) return;
    t += hour;
    const acceptUp = new Date(t);
    if (!(await step(acceptUp, async () => act(await handler(), requestId, { action: 'accept' }, acceptUp)))) return;
  }
  if (type.mediation && plan.rate < 0.75) {
    const at = new Date(t + 6 * hour);
    if (!(await step(at, async () => act(await handler(), requestId, { action: 'mediation', parties: ['申请人', '对方当事人'], agreementTerms: '双方自愿达成协议，按约定期限履行' }, at)))) return;
  }
  // 10% late: past the deadline; the rest within 5–65% of it.
  const late = plan.roll > 0.74 && plan.roll <= 0.84;
  const resolveAt = new Date(Math.max(t + hour, created.getTime() + resolveIn * (late ? 1.2 : plan.speed)));
  const outcome = plan.rate < 0.92 ? 'resolved' : 'not_resolved';
  if (!(await step(resolveAt, async () => act(await handler(), requestId, { action: 'resolve', outcome, note: outcome === 'resolved' ? '已办理完毕' : '已尽力协调，暂未解决' }, resolveAt)))) return;
  const rateAt = new Date(resolveAt.getTime() + 5 * hour);
  if (plan.rate < 0.65) await step(rateAt, () => act(requester, requestId, { action: 'rate', score: plan.score }, rateAt));
  const confirmAt = new Date(resolveAt.getTime() + 26 * hour);
  await step(confirmAt, () => act(requester, requestId, { action: 'confirm' }, confirmAt));
}
