import { createHash } from 'node:crypto';
import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import { canSeeGrid } from '../auth/scope';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { getGrid, listGridIds } from '../org/repository';
import { householdRows } from './figures';
import { counterDelta, counterDeltaPut, foldCounterDeltas, monthOf, type CounterDelta } from '../stats/counters';
import { addDays, beijingDate, dayMs } from '../time';
import { colourNames, householdView, type Colour, type Household, type PersonTag, type Visit } from './model';
import {
  colourChangePut,
  completeVisit,
  createVisits,
  existingVisitIds,
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
  const recolour = patch.colour && patch.colour !== h.colour;
  // The colour change, its history entry and the households-by-colour figures: one commit.
  const delta = recolour ? counterDelta(householdRows(grid, { [h.colour]: -1, [colour]: 1 })) : null;
  const also = recolour ? [colourChangePut(h.householdId, at, after.version, { from: h.colour, to: colour, reason: patch.reason, by: p.userId })] : [];
  const ok = await saveHousehold(after, h.version, [...also, ...(delta ? [counterDeltaPut(delta)] : [])]);
  if (!ok) throw new ConflictError('CONCURRENT_UPDATE', '这户的信息刚被修改过，请刷新后重试');
  if (delta) await foldCounterDeltas([delta]);
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
    // Re-running a day reads (one BatchGetItem per 100 tasks) instead of trying every write.
    const existing = await existingVisitIds(tasks.map((t) => t.visitId));
    const absent = tasks.filter((t) => !existing.has(t.visitId));
    result.existing += tasks.length - absent.length;
    // Tasks and the figures they add, 99 tasks and their delta a transaction: created and counted together.
    const chunks: Visit[][] = [];
    for (let i = 0; i < absent.length; i += 99) chunks.push(absent.slice(i, i + 99));
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, chunks.length) }, async () => {
        while (next < chunks.length) {
          const chunk = chunks[next++]!;
          const created = await createCounted(grid, chunk, now);
          result.created += created;
          result.existing += chunk.length - created;
        }
      }),
    );
  }
  return result;
}

/**
 * Creates a chunk of visit tasks with their figures in one transaction; when a concurrent plan
 * created some meanwhile (the transaction is refused whole), creates the rest. Returns how many
 * it created.
 */
async function createCounted(grid: { gridId: string; communityId: string }, tasks: Visit[], now: Date): Promise<number> {
  let todo = tasks;
  for (let attempt = 0; todo.length > 0; attempt++) {
    if (attempt > 5) throw new Error(`visit plan: ${todo.length} tasks of ${grid.gridId} still contended`);
    const delta = visitFigureDelta(grid, todo, monthOf(now.toISOString()), () => ({ due: 1 }), { due: 1 });
    if (await createVisits(todo, delta ? [counterDeltaPut(delta)] : [])) {
      if (delta) await foldCounterDeltas([delta]);
      return todo.length;
    }
    const existing = await existingVisitIds(todo.map((t) => t.visitId));
    todo = todo.filter((t) => !existing.has(t.visitId));
  }
  return 0;
}

/**
 * Visit figures per month (due, done, done late) and per due day (due that day, done of those), for
 * the grid, its community, the sub-district and each worker (plan vs done per worker). A weekly or
 * monthly visit counts on the day it falls due, so a day's done never exceeds its due.
 */
function visitFigureDelta(grid: { gridId: string; communityId: string }, visits: readonly Visit[], month: string, adds: (v: Visit) => Record<string, number>, dayAdds: Record<string, number>): CounterDelta | null {
  return counterDelta(
    visits.flatMap((v) => {
      const targets: [string, string, Record<string, string>?][] = [
        ['GRID', grid.gridId, { communityId: grid.communityId }],
        ['COMMUNITY', grid.communityId],
        ['ALL', 'all'],
        ['WORKER', v.workerId, { gridId: grid.gridId }],
      ];
      return targets.flatMap(([dimension, value, set]) => [
        { domain: 'VISIT', period: month, dimension, value, ...(set ? { set } : {}), adds: adds(v) },
        { domain: 'VISIT', period: v.dueDate, dimension, value, ...(set ? { set } : {}), adds: dayAdds },
      ]);
    }),
  );
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
  // The log and the visit figures: one commit.
  const delta = visitFigureDelta(v, [v], monthOf(at), () => ({ done: 1, ...(beijingDate(now) > v.dueDate ? { doneLate: 1 } : {}) }), { done: 1 });
  if (delta) also.push(counterDeltaPut(delta));
  if (!(await completeVisit(done, also))) throw new ConflictError('ALREADY_LOGGED', '这次走访已经记录过了');
  if (delta) await foldCounterDeltas([delta]);
  return { visitId, householdId: v.householdId, gridId: v.gridId, address: v.address, colour: v.colour, dueDate: v.dueDate, overdue: false, status: 'done' as const, proposal: log.proposedColour ? colourNames[log.proposedColour] : null };
}
