import { createHash } from 'node:crypto';

import type { Principal } from '../auth/principal';
import { canSeeGrid } from '../auth/scope';
import { batchDelete, batchGet, batchPut, itemKey } from '../db/batch';
import { keys } from '../db/keys';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { getGrid, listGridIds } from '../org/repository';
import { deltaPuts, foldCounterDeltas, monthOf } from '../stats/counters';
import { addDays, beijingDate, dayMs } from '../time';
import { visitFigureDelta } from './figures';
import { type Colour, colourNames, householdView, type PersonTag, type Visit } from './model';
import {
  colourChangePut,
  completeVisit,
  createVisits,
  existingVisitIds,
  getHousehold,
  getHouseholdWithHistory,
  getVisit,
  householdPut,
  householdsOfColour,
  listGridHouseholds,
  listOpenVisits,
  saveHousehold,
} from './repository';
import { decideHouseholdChange, decideVisitLog } from './transitions';


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
  await gridInScope(p, h.gridId);
  const { after, colourChange, delta } = decideHouseholdChange(h, patch, p, now);
  // The change, its colour history entry and the households-by-colour figures: one commit.
  const also = colourChange ? [colourChangePut(h.householdId, after.updatedAt, after.version, colourChange)] : [];
  const ok = await saveHousehold(after, h.version, [...also, ...deltaPuts(delta)]);
  if (!ok) throw new ConflictError('CONCURRENT_UPDATE', '这户的信息刚被修改过，请刷新后重试');
  await foldCounterDeltas([delta]);
  // The plan of its new colour was made for this period already (weekly, monthly): its visit now.
  if (colourChange) await planChangedHousehold(after, now);
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
 * Red is planned every day; a grid's yellow and green plans once per week / month — a marker per
 * grid and period says it is made (one BatchGetItem for all grids), so the other days read and
 * write only the red households. A household that changes colour mid-period gets its task with
 * the change (updateHousehold); a roster import clears the markers of the grids it changed.
 */
export async function planVisits(
  now = new Date(),
  opts: { gridIds?: string[]; concurrency?: number } = {},
): Promise<{ households: number; created: number; existing: number }> {
  const date = beijingDate(now);
  const concurrency = opts.concurrency ?? 32;
  const result = { households: 0, created: 0, existing: 0 };
  const gridIds = opts.gridIds ?? (await listGridIds());
  const periodic = ['yellow', 'green'] as const;
  const made = await batchGet(gridIds.flatMap((g) => periodic.map((c) => keys.visitPlanMade(g, c, periodOf(c, date).period))), { consistent: true });
  for (const gridId of gridIds) {
    const grid = await getGrid(gridId);
    const workers = grid ? Object.keys(grid.workers).sort() : [];
    if (!grid || workers.length === 0) continue;
    const toPlan = periodic.filter((c) => !made.has(itemKey(keys.visitPlanMade(gridId, c, periodOf(c, date).period))));
    const tasks: Visit[] = [];
    for (const colour of ['red', ...toPlan] as const) {
      for (const h of await householdsOfColour(gridId, colour)) tasks.push(visitTask({ ...h, householdId: h.householdId }, colour, grid, workers, date, now));
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
    // Only once every task of the period exists: a run that died before this plans the grid again.
    if (toPlan.length) await batchPut(toPlan.map((c) => ({ ...keys.visitPlanMade(gridId, c, periodOf(c, date).period), type: 'VisitPlanMade', at: now.toISOString() })));
  }
  return result;
}

/** The visit a household of a colour is due in the period of `date`, for one of the grid's workers. */
function visitTask(h: { householdId: string; address: string }, colour: Colour, grid: { gridId: string; communityId: string }, workers: string[], date: string, now: Date): Visit {
  const { period, due } = periodOf(colour, date);
  return {
    visitId: `${colour[0]!.toUpperCase()}${period}-${h.householdId}`,
    householdId: h.householdId,
    gridId: grid.gridId,
    communityId: grid.communityId,
    address: h.address,
    colour,
    workerId: workerFor(h.householdId, workers),
    dueDate: due,
    period,
    status: 'open',
    createdAt: now.toISOString(),
  };
}

/** A household that changed colour gets the visit its new colour requires in this period, counted with it (if absent). */
async function planChangedHousehold(h: { householdId: string; address: string; gridId: string; colour: Colour }, now: Date): Promise<void> {
  const grid = await getGrid(h.gridId);
  const workers = grid ? Object.keys(grid.workers).sort() : [];
  if (!grid || workers.length === 0) return;
  const task = visitTask(h, h.colour, grid, workers, beijingDate(now), now);
  // Conditional on its absence (the household may have had this colour earlier in the period).
  await createCounted(grid, [task], now);
}

/** The grids whose weekly and monthly plans must be made again (their roster changed). */
export async function replanGrids(gridIds: readonly string[], now = new Date()): Promise<void> {
  const date = beijingDate(now);
  await batchDelete(gridIds.flatMap((g) => (['yellow', 'green'] as const).map((c) => keys.visitPlanMade(g, c, periodOf(c, date).period))));
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
    if (await createVisits(todo, deltaPuts(delta))) {
      await foldCounterDeltas([delta]);
      return todo.length;
    }
    const existing = await existingVisitIds(todo.map((t) => t.visitId));
    todo = todo.filter((t) => !existing.has(t.visitId));
  }
  return 0;
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
  const household = log.proposedColour ? await getHousehold(v.householdId, true) : null;
  const { done, householdAfter, delta } = decideVisitLog(v, log, p, household, now);
  // The log, a colour proposal on the household and the visit figures: one commit.
  const also = [...(householdAfter && household ? [householdPut(householdAfter, household.version)] : []), ...deltaPuts(delta)];
  if (!(await completeVisit(done, also))) throw new ConflictError('ALREADY_LOGGED', '这次走访已经记录过了');
  await foldCounterDeltas([delta]);
  return { visitId, householdId: v.householdId, gridId: v.gridId, address: v.address, colour: v.colour, dueDate: v.dueDate, overdue: false, status: 'done' as const, proposal: log.proposedColour ? colourNames[log.proposedColour] : null };
}
