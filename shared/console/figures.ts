import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import { keys } from '../db/keys';
import { ForbiddenError, NotFoundError } from '../errors';
import { listOpenVisits } from '../households/repository';
import { getOrgTree, type Grid, type OrgTree } from '../org/repository';
import { requestTypes } from '../requests/catalogue';
import { levelNames, statusNames } from '../requests/model';
import { listGridLevelOpen, listOpenRequests } from '../requests/repository';
import { acceptBucketsMinutes, medianUpperBound, resolveBucketsHours } from '../requests/stats';
import { readCounterItems, readCounterRows } from '../stats/counters';
import { beijingDate, beijingMonth } from '../time';
import { getUsers } from '../users/repository';

/**
 * The command centre's figures. Each panel is answered from the counters kept beside the writes
 * (shared/requests/stats.ts, households, visits, volunteers, jobs) in one BatchGetItem, or from a
 * few Queries issued together — never a Scan. Definitions of every figure: docs/console.md.
 */

export type Scope = { kind: 'street'; id: string; name: string } | { kind: 'community'; id: string; name: string } | { kind: 'grid'; id: string; name: string; communityId: string };

const streetWide = (p: Principal) => hasRole(p, 'admin', 'street_staff', 'legal_officer');

/** The widest scope a caller may see: the sub-district, their community, or their grid. */
function defaultScope(p: Principal): string {
  if (streetWide(p)) return 'street';
  if (hasRole(p, 'community_staff') && p.communityId) return `community:${p.communityId}`;
  if (hasRole(p, 'grid_worker') && p.gridId) return `grid:${p.gridId}`;
  throw new ForbiddenError('NO_SCOPE', '您的账号没有可查看的范围');
}

/** `street`, `community:C01` or `grid:G001`, checked against who the caller is. */
export function resolveScope(p: Principal, text: string | undefined, tree: OrgTree): Scope {
  const [kind, id] = (text ?? defaultScope(p)).split(':') as [string, string | undefined];
  const outside = () => new ForbiddenError('OUT_OF_SCOPE', '您无权查看这个范围的数据');
  if (kind === 'street') {
    if (!streetWide(p)) throw outside();
    return { kind: 'street', id: tree.streetId, name: '全街道' };
  }
  if (kind === 'community') {
    const c = tree.communities.find((x) => x.communityId === id);
    if (!c) throw new NotFoundError('SCOPE_NOT_FOUND', '没有这个社区');
    if (!streetWide(p) && !(hasRole(p, 'community_staff') && p.communityId === c.communityId)) throw outside();
    return { kind: 'community', id: c.communityId, name: c.name };
  }
  const g = findGrid(tree, id);
  if (!g) throw new NotFoundError('SCOPE_NOT_FOUND', '没有这个网格');
  const mine = (hasRole(p, 'community_staff') && p.communityId === g.communityId) || (hasRole(p, 'grid_worker') && p.gridId === g.gridId);
  if (!streetWide(p) && !mine) throw outside();
  return { kind: 'grid', id: g.gridId, name: g.name, communityId: g.communityId };
}

export function findGrid(tree: OrgTree, gridId: string | undefined): Grid | undefined {
  return tree.communities.flatMap((c) => c.grids).find((g) => g.gridId === gridId);
}

const dimensionOf = (s: Scope): [string, string] => (s.kind === 'street' ? ['ALL', 'all'] : s.kind === 'community' ? ['COMMUNITY', s.id] : ['GRID', s.id]);

/** A share, or null when nothing was counted (the console shows "—", never 0% of nothing). */
export const ratio = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null);

/** The request figures of one counter row (a month cohort), as the console shows them. */
export function requestFigures(m: Record<string, number>) {
  const n = (k: string) => m[k] ?? 0;
  const settledLevels = n('settledGrid') + n('settledCommunity') + n('settledStreet');
  return {
    received: n('submitted'),
    accepted: n('accepted'),
    acceptedOnTime: n('acceptedOnTime'),
    resolvedOnTime: n('resolvedOnTime'),
    overdue: n('overdue'),
    onTimeRate: ratio(n('resolvedOnTime'), n('resolvedOnTime') + n('overdue')),
    medianResolveHoursAtMost: medianUpperBound(m, 'resolveLe_', resolveBucketsHours),
    medianAcceptMinutesAtMost: medianUpperBound(m, 'acceptLe_', acceptBucketsMinutes),
    rated: n('rated'),
    ratingAverage: n('rated') ? Math.round((n('ratingSum') / n('rated')) * 100) / 100 : null,
    ratingHighShare: ratio(n('ratedHigh'), n('rated')),
    settled: { grid: n('settledGrid'), community: n('settledCommunity'), street: n('settledStreet'), legal: n('settledLegal') },
    settledInGridShare: ratio(n('settledGrid'), settledLevels),
    settledInCommunityShare: ratio(n('settledGrid') + n('settledCommunity'), settledLevels),
    escalated: n('escalated'),
    mediationCases: n('mediationCases'),
    mediationAgreements: n('mediationAgreements'),
    mediationSuccessRate: ratio(n('mediationAgreements'), n('mediationCases')),
    viaHotline: n('viaHotline'),
    viaPartner: n('viaPartner'),
  };
}

/** 总览: today, this month and now for one scope — one BatchGetItem of eight counter rows. */
export async function overview(p: Principal, scopeText: string | undefined, now = new Date()) {
  const tree = await getOrgTree();
  const scope = resolveScope(p, scopeText, tree);
  const [dimension, value] = dimensionOf(scope);
  const today = beijingDate(now);
  const month = beijingMonth(now);
  const at = (domain: string, period: string, d = dimension, v = value) => ({ domain, period, dimension: d, value: v });
  const [reqMonth, reqToday, reqNow, households, visitMonth, visitToday, vol, jobs] = await readCounterItems([
    at('REQ', month),
    at('REQ', today),
    at('REQ', 'current'),
    at('HH', 'current'),
    at('VISIT', month),
    at('VISIT', today),
    // Volunteering and jobs are counted for the whole sub-district only.
    at('VOL', month, 'ALL', 'all'),
    at('JOB', month, 'ALL', 'all'),
  ]);
  const n = (row: Record<string, number>, k: string) => row[k] ?? 0;
  return {
    scope,
    today,
    month,
    generatedAt: now.toISOString(),
    requests: {
      receivedToday: n(reqToday!, 'submitted'),
      resolvedToday: n(reqToday!, 'resolved'),
      open: n(reqNow!, 'open'),
      overdueOpen: n(reqNow!, 'overdueOpen'),
      month: requestFigures(reqMonth!),
    },
    households: { red: n(households!, 'red'), yellow: n(households!, 'yellow'), green: n(households!, 'green') },
    visits: {
      dueToday: n(visitToday!, 'due'),
      doneToday: n(visitToday!, 'done'),
      dueMonth: n(visitMonth!, 'due'),
      doneMonth: n(visitMonth!, 'done'),
      doneLateMonth: n(visitMonth!, 'doneLate'),
    },
    volunteers: { activitiesHeld: n(vol!, 'activitiesHeld'), personTimes: n(vol!, 'personTimes'), hours: Math.round(n(vol!, 'volunteerMinutes') / 6) / 10 },
    jobs: { openings: n(jobs!, 'openings'), applications: n(jobs!, 'applications'), hires: n(jobs!, 'hires') },
  };
}

/** 网格图: every grid in scope with the measures a tile can be coloured by — four Queries issued together. */
export async function gridTiles(p: Principal, scopeText: string | undefined, now = new Date()) {
  const tree = await getOrgTree();
  const scope = resolveScope(p, scopeText, tree);
  if (scope.kind === 'grid') throw new ForbiddenError('SCOPE_TOO_NARROW', '网格图需要社区或街道范围');
  const [reqNow, households, visitMonth, visitToday] = await Promise.all([
    readCounterRows('REQ', 'current', 'GRID'),
    readCounterRows('HH', 'current', 'GRID'),
    readCounterRows('VISIT', beijingMonth(now), 'GRID'),
    readCounterRows('VISIT', beijingDate(now), 'GRID'),
  ]);
  const byGrid = (rows: Record<string, unknown>[]) => new Map(rows.map((r) => [r.key as string, r as Record<string, number>]));
  const [req, hh, vm, vt] = [byGrid(reqNow), byGrid(households), byGrid(visitMonth), byGrid(visitToday)];
  const communities = tree.communities.filter((c) => scope.kind === 'street' || c.communityId === scope.id);
  return {
    scope,
    communities: communities.map((c) => ({
      communityId: c.communityId,
      name: c.name,
      grids: c.grids.map((g) => {
        const v = (m: Map<string, Record<string, number>>, k: string) => m.get(g.gridId)?.[k] ?? 0;
        return {
          gridId: g.gridId,
          name: g.name,
          open: v(req, 'open'),
          overdueOpen: v(req, 'overdueOpen'),
          red: v(hh, 'red'),
          yellow: v(hh, 'yellow'),
          green: v(hh, 'green'),
          visitsDueToday: v(vt, 'due'),
          visitsDoneToday: v(vt, 'done'),
          visitsDueMonth: v(vm, 'due'),
          visitsDoneMonth: v(vm, 'done'),
          visitCompletion: ratio(v(vm, 'done'), v(vm, 'due')),
        };
      }),
    })),
  };
}

/**
 * One grid: its two workers with their backlog, overdue count and visit completion, and the red
 * households not yet visited today. One BatchGetItem of counters, one of the workers' names, the
 * grid's two open inbox partitions and each worker's open visits, all issued together.
 */
export async function gridDetail(p: Principal, gridId: string, now = new Date()) {
  const tree = await getOrgTree();
  const scope = resolveScope(p, `grid:${gridId}`, tree);
  const grid = findGrid(tree, gridId)!;
  const community = tree.communities.find((c) => c.communityId === grid.communityId)!;
  const workerIds = Object.keys(grid.workers).sort((a, b) => (grid.workers[a] === grid.workers[b] ? a.localeCompare(b) : grid.workers[a] === 'full_time' ? -1 : 1));
  const today = beijingDate(now);
  const month = beijingMonth(now);
  const nowIso = now.toISOString();
  const [counters, users, atGridLevel, visits] = await Promise.all([
    readCounterItems([
      { domain: 'REQ', period: 'current', dimension: 'GRID', value: gridId },
      { domain: 'HH', period: 'current', dimension: 'GRID', value: gridId },
      ...workerIds.flatMap((w) => [
        { domain: 'VISIT', period: month, dimension: 'WORKER', value: w },
        { domain: 'VISIT', period: today, dimension: 'WORKER', value: w },
      ]),
    ]),
    getUsers(workerIds),
    listGridLevelOpen(gridId),
    Promise.all(workerIds.map((w) => listOpenVisits(w, 100))),
  ]);
  const [req, hh, ...workerRows] = counters;
  const dueOf = (r: (typeof atGridLevel)[number]) => (r.status === 'assigned' ? r.acceptDueAt : r.resolveDueAt) ?? r.createdAt;
  return {
    scope,
    grid: { gridId, name: grid.name, communityId: community.communityId, communityName: community.name },
    open: req!.open ?? 0,
    overdueOpen: req!.overdueOpen ?? 0,
    households: { red: hh!.red ?? 0, yellow: hh!.yellow ?? 0, green: hh!.green ?? 0 },
    workers: workerIds.map((w, i) => {
      const mine = atGridLevel.filter((r) => r.assigneeId === w);
      const m = workerRows[i * 2] ?? {};
      const d = workerRows[i * 2 + 1] ?? {};
      return {
        userId: w,
        name: users.find((u) => u.userId === w)?.name ?? w,
        workerType: grid.workers[w]!,
        backlog: mine.length,
        overdue: mine.filter((r) => !!r.overdueAt || dueOf(r) < nowIso).length,
        visitsDueToday: d.due ?? 0,
        visitsDoneToday: d.done ?? 0,
        visitsDueMonth: m.due ?? 0,
        visitsDoneMonth: m.done ?? 0,
        visitCompletion: ratio(m.done ?? 0, m.due ?? 0),
      };
    }),
    redNotVisitedToday: visits
      .flatMap((page) => page.items)
      .filter((v) => v.colour === 'red' && v.dueDate <= today && v.gridId === gridId)
      .map((v) => ({ visitId: v.visitId, householdId: v.householdId, address: v.address, dueDate: v.dueDate, workerId: v.workerId, overdue: v.dueDate < today }))
      .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.address.localeCompare(b.address)),
  };
}

/** 趋势: the last `months` months by type and by community — one BatchGetItem per 100 keys, issued together. */
export async function trends(p: Principal, scopeText: string | undefined, months = 12, now = new Date()) {
  const tree = await getOrgTree();
  const scope = resolveScope(p, scopeText, tree);
  const [dimension, value] = dimensionOf(scope);
  const list: string[] = [];
  const [y, m] = beijingMonth(now).split('-').map(Number) as [number, number];
  for (let i = months - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    list.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  const communities = scope.kind === 'street' ? tree.communities : [];
  const wanted = [
    ...list.map((period) => ({ domain: 'REQ', period, dimension, value })),
    // By type only for the whole sub-district (type rows are not kept per grid).
    ...(scope.kind === 'street' ? requestTypes.flatMap((t) => list.map((period) => ({ domain: 'REQ', period, dimension: 'TYPE', value: t.code }))) : []),
    ...communities.flatMap((c) => list.map((period) => ({ domain: 'REQ', period, dimension: 'COMMUNITY', value: c.communityId }))),
  ];
  const chunks: (typeof wanted)[] = [];
  for (let i = 0; i < wanted.length; i += 100) chunks.push(wanted.slice(i, i + 100));
  const rows = (await Promise.all(chunks.map((c) => readCounterItems(c)))).flat();
  let k = 0;
  const take = () => list.map(() => requestFigures(rows[k++]!));
  const overall = take();
  const series = (f: ReturnType<typeof requestFigures>[]) => ({
    received: f.map((x) => x.received),
    resolvedOnTime: f.map((x) => x.resolvedOnTime),
    onTimeRate: f.map((x) => x.onTimeRate),
    ratingAverage: f.map((x) => x.ratingAverage),
  });
  const byType = scope.kind === 'street' ? requestTypes.map((t) => ({ key: t.code, name: t.name, ...series(take()) })) : [];
  const byCommunity = communities.map((c) => ({ key: c.communityId, name: c.name, ...series(take()) }));
  return { scope, months: list, overall: series(overall), byType, byCommunity };
}

/**
 * 诉求 board: open requests in scope, overdue first. Content is never listed (the detail pane reads
 * a request through GET /v1/requests/{id}, which applies the privacy rules and audits the read).
 */
export async function openRequests(p: Principal, scopeText: string | undefined, now = new Date()) {
  const tree = await getOrgTree();
  const scope = resolveScope(p, scopeText, tree);
  const nowIso = now.toISOString();
  const all = await listOpenRequests(keys.inboxQueue('street', tree.streetId));
  const inScope = all.filter((r) => scope.kind === 'street' || (scope.kind === 'community' ? r.communityId === scope.id : r.gridId === scope.id));
  const gridName = (id?: string) => (id ? (findGrid(tree, id)?.name ?? id) : null);
  const typeName = (code: string) => requestTypes.find((t) => t.code === code)?.name ?? code;
  const items = inScope.map((r) => {
    const dueAt = (r.status === 'assigned' ? r.acceptDueAt : r.resolveDueAt) ?? null;
    return {
      requestId: r.requestId,
      typeCode: r.typeCode,
      typeName: typeName(r.typeCode),
      status: r.status,
      statusName: statusNames[r.status],
      level: r.level ?? null,
      levelName: r.level ? levelNames[r.level] : null,
      gridId: r.gridId ?? null,
      gridName: gridName(r.gridId),
      communityId: r.communityId ?? null,
      assigneeName: r.assigneeId ? (r.assigneeName ?? null) : null,
      private: r.private,
      createdAt: r.createdAt,
      dueAt,
      overdue: !!r.overdueAt || !!r.breachedAtTop || (!!dueAt && dueAt < nowIso),
      escalations: r.escalations,
    };
  });
  items.sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.dueAt ?? '').localeCompare(b.dueAt ?? ''));
  return { scope, items };
}
