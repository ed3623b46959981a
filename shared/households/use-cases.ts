import { createHash } from 'node:crypto';
import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import { canSeeGrid } from '../auth/scope';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { getGrid, listGridIds } from '../org/repository';
import { addCounters, monthOf } from '../stats/counters';
import { addDays, beijingDate, dayMs } from '../time';
import { colourNames, householdView, type Colour, type Household, type PersonTag, type Visit } from './model';
import {
  colourChangePut,
  completeVisit,
  createVisitIfAbsent,
  getHousehold,
  getVisit,
  householdPut,
  householdsOfColour,
  listGridHouseholds,
  listOpenVisits,
  saveHousehold,
  getHouseholdWithHistory,
} from './repository';


async function gridInScope(p: Principal, gridId: string) {
  const grid = await getGrid(gridId);
  if (!grid) throw new NotFoundError('GRID_NOT_FOUND', '网格不存在');
  if (!canSeeGrid(p, grid)) throw new ForbiddenError('OUT_OF_SCOPE', '该网格不在您负责的范围内');
  return grid;
}

export async function gridHouseholds(p: Principal, gridId: string, q: { colour?: Colour; tag?: PersonTag; limit: number; cursor?: string }) {
  await gridInScope(p, gridId);
  const page = await listGridHouseholds(gridId, q.colour, q.tag, q.limit, q.cursor);
  return { items: page.items.map(householdView), nextCursor: page.nextCursor };
}

/** One household as the console's drill-down shows it: masked numbers, and its colour with why and since when. */
export async function householdDetail(p: Principal, householdId: string) {
  const found = await getHouseholdWithHistory(householdId);
  // Outside the caller's scope it does not exist for them.
  const grid = found ? await getGrid(found.household.gridId) : null;
  if (!found || !grid || !canSeeGrid(p, grid)) throw new NotFoundError('HOUSEHOLD_NOT_FOUND', '没有找到这户，或不在您负责的范围内');
  return { ...householdView(found.household), colourHistory: found.history.map((c) => ({ ...c, fromName: c.from ? (colourNames[c.from as Colour] ?? c.from) : null, toName: colourNames[c.to as Colour] ?? c.to })) };
}

/**
 * Changes a household's colour (community staff and above; a grid worker proposes through a
 * visit log instead) or its members' tags (the grid's workers too), with the reason on record.
 */
export async function updateHousehold(
  p: Principal,
  householdId: string,
  patch: { colour?: Colour; memberTags?: { personId: string; tags: PersonTag[] }[]; reason: string },
  now = new Date(),
) {
  const h = await getHousehold(householdId, true);
  if (!h) throw new NotFoundError('HOUSEHOLD_NOT_FOUND', '没有找到这户');
  const grid = await gridInScope(p, h.gridId);
  if (patch.colour && !hasRole(p, 'community_staff', 'street_staff', 'admin')) {
    throw new ForbiddenError('COLOUR_NEEDS_COMMUNITY', '调整红黄绿灯需社区确认，请在走访记录中提出建议');
  }
  const at = now.toISOString();
  let members = h.members;
  for (const mt of patch.memberTags ?? []) {
    if (!members.some((m) => m.personId === mt.personId)) {
      throw new BadRequestError('PERSON_NOT_FOUND', '该户没有这个成员', [{ field: 'body.memberTags.personId', reason: 'not_found', message: `没有成员 ${mt.personId}` }]);
    }
    members = members.map((m) => (m.personId === mt.personId ? { ...m, tags: mt.tags } : m));
  }
  const colour = patch.colour ?? h.colour;
  const { pendingColour: _p, ...rest } = h;
  const after: Household = {
    ...rest,
    members,
    tags: [...new Set(members.flatMap((m) => m.tags))],
    colour,
    colourReason: patch.colour ? patch.reason : h.colourReason,
    // A colour decision settles any pending proposal; a tag change leaves it waiting.
    ...(patch.colour || !h.pendingColour ? {} : { pendingColour: h.pendingColour }),
    updatedAt: at,
    version: h.version + 1,
  };
  const history = patch.colour && patch.colour !== h.colour ? [colourChangePut(h.householdId, at, after.version, { from: h.colour, to: colour, reason: patch.reason, by: p.userId })] : [];
  const ok = await saveHousehold(after, h.version, history);
  if (!ok) throw new ConflictError('CONCURRENT_UPDATE', '这户的信息刚被修改过，请刷新后重试');
  if (history.length) {
    await addCounters('HH', 'current', [['GRID', grid.gridId, { communityId: grid.communityId }], ['COMMUNITY', grid.communityId], ['ALL', 'all']], { [h.colour]: -1, [colour]: 1 });
  }
  return householdView(after);
}

// --- visit plan ---------------------------------------------------------------------------------

/** ISO week (yyyy-Www) of a Beijing date, and that week's Sunday. */
function isoWeek(date: string): { week: string; sunday: string } {
  const d = new Date(`${date}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(d.getTime() + (3 - dow) * dayMs);
  const yearStart = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((thursday.getTime() - yearStart.getTime()) / dayMs + 1) / 7);
  return { week: `${thursday.getUTCFullYear()}W${String(week).padStart(2, '0')}`, sunday: addDays(date, 6 - dow) };
}

function periodOf(colour: Colour, date: string): { period: string; due: string } {
  if (colour === 'red') return { period: date.replaceAll('-', ''), due: date };
  if (colour === 'yellow') {
    const w = isoWeek(date);
    return { period: w.week, due: w.sunday };
  }
  const [y, m] = date.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return { period: `${y}${String(m).padStart(2, '0')}`, due: last };
}

/** Spreads a grid's households between its workers, the same way every day. */
function workerFor(householdId: string, workers: string[]): string {
  const h = createHash('sha1').update(householdId).digest().readUInt32BE(0);
  return workers[h % workers.length]!;
}

/**
 * The daily plan: for every grid and household, the visit its colour requires in the current
 * period (red: today; yellow: this ISO week; green: this month), assigned to one of the grid's
 * workers. Task ids are period + household, created only if absent: running twice adds nothing.
 */
export async function planVisits(
  now = new Date(),
  opts: { gridIds?: string[]; concurrency?: number } = {},
): Promise<{ households: number; created: number; existing: number }> {
  const date = beijingDate(now);
  const concurrency = opts.concurrency ?? 32;
  const result = { households: 0, created: 0, existing: 0 };
  for (const gridId of opts.gridIds ?? (await listGridIds())) {
    const grid = await getGrid(gridId);
    const workers = grid ? Object.keys(grid.workers).sort() : [];
    if (!grid || workers.length === 0) continue;
    const tasks: Visit[] = [];
    for (const colour of ['red', 'yellow', 'green'] as const) {
      const { period, due } = periodOf(colour, date);
      for (const h of await householdsOfColour(gridId, colour)) {
        tasks.push({
          visitId: `${colour[0]!.toUpperCase()}${period}-${h.householdId}`,
          householdId: h.householdId,
          gridId,
          communityId: grid.communityId,
          address: h.address,
          colour,
          workerId: workerFor(h.householdId, workers),
          dueDate: due,
          period,
          status: 'open',
          createdAt: now.toISOString(),
        });
      }
    }
    result.households += tasks.length;
    let next = 0;
    const created: Visit[] = [];
    await Promise.all(
      Array.from({ length: Math.min(concurrency, tasks.length) }, async () => {
        while (next < tasks.length) {
          const t = tasks[next++]!;
          if (await createVisitIfAbsent(t)) created.push(t);
          else result.existing++;
        }
      }),
    );
    result.created += created.length;
    await recordVisitFigures(grid, created, monthOf(now.toISOString()), () => ({ due: 1 }), { due: 1 });
  }
  return result;
}

/**
 * Visit figures per month (due, done, done late) and per due day (due that day, done of those), for
 * the grid, its community, the sub-district and each worker (plan vs done per worker). A weekly or
 * monthly visit counts on the day it falls due, so a day's done never exceeds its due.
 */
async function recordVisitFigures(grid: { gridId: string; communityId: string }, visits: readonly Visit[], month: string, adds: (v: Visit) => Record<string, number>, dayAdds: Record<string, number>): Promise<void> {
  const rows = new Map<string, { partition: string; target: [string, string, Record<string, string>?]; adds: Record<string, number> }>();
  const put = (partition: string, target: [string, string, Record<string, string>?], a: Record<string, number>) => {
    const key = `${partition}|${target[0]}|${target[1]}`;
    const row = rows.get(key) ?? { partition, target, adds: {} };
    for (const [k, n] of Object.entries(a)) row.adds[k] = (row.adds[k] ?? 0) + n;
    rows.set(key, row);
  };
  for (const v of visits) {
    const targets: [string, string, Record<string, string>?][] = [
      ['GRID', grid.gridId, { communityId: grid.communityId }],
      ['COMMUNITY', grid.communityId],
      ['ALL', 'all'],
      ['WORKER', v.workerId, { gridId: grid.gridId }],
    ];
    for (const t of targets) {
      put(month, t, adds(v));
      put(v.dueDate, t, dayAdds);
    }
  }
  await Promise.all([...rows.values()].map((r) => addCounters('VISIT', r.partition, [r.target], r.adds)));
}

export async function myVisits(p: Principal, limit: number, cursor: string | undefined, now = new Date()) {
  const today = beijingDate(now);
  const page = await listOpenVisits(p.userId, limit, cursor);
  return {
    items: page.items.map((v) => ({ visitId: v.visitId, householdId: v.householdId, gridId: v.gridId, address: v.address, colour: v.colour, dueDate: v.dueDate, overdue: v.dueDate < today, status: v.status })),
    nextCursor: page.nextCursor,
  };
}

export async function logVisit(
  p: Principal,
  visitId: string,
  log: { notes: string; findings: string[]; proposedColour?: Colour; proposedReason?: string },
  now = new Date(),
) {
  const v = await getVisit(visitId);
  if (!v) throw new NotFoundError('VISIT_NOT_FOUND', '没有找到这条走访任务');
  if (!(hasRole(p, 'grid_worker') && p.gridId === v.gridId)) throw new ForbiddenError('OUT_OF_SCOPE', '这条走访任务不在您的网格');
  if (v.status !== 'open') throw new ConflictError('ALREADY_LOGGED', '这次走访已经记录过了');
  const at = now.toISOString();
  const done: Visit = { ...v, status: 'done', workerId: v.workerId, log: { ...log, at } };
  const also = [];
  if (log.proposedColour) {
    if (!log.proposedReason) throw new BadRequestError('VALIDATION_FAILED', '建议调整颜色时请说明原因', [{ field: 'body.proposedReason', reason: 'required', message: '请说明原因' }]);
    const h = await getHousehold(v.householdId, true);
    if (h && h.colour !== log.proposedColour) {
      also.push(householdPut({ ...h, pendingColour: { colour: log.proposedColour, reason: log.proposedReason, visitId, by: p.userId, at }, version: h.version + 1 }, h.version));
    }
  }
  if (!(await completeVisit(done, also))) throw new ConflictError('ALREADY_LOGGED', '这次走访已经记录过了');
  await recordVisitFigures(v, [v], monthOf(at), () => ({ done: 1, ...(beijingDate(now) > v.dueDate ? { doneLate: 1 } : {}) }), { done: 1 });
  return { visitId, householdId: v.householdId, gridId: v.gridId, address: v.address, colour: v.colour, dueDate: v.dueDate, overdue: false, status: 'done' as const, proposal: log.proposedColour ? colourNames[log.proposedColour] : null };
}
