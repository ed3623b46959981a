import { type CounterDelta,counterDelta, readCounterRows } from '../stats/counters';
import { beijingDate, beijingMonth } from '../time';
import type { ServiceRequest } from './model';

export { monthOf } from '../stats/counters';

/** Request counters for GET /v1/stats, per month and per grid, community, type and overall. */
export const counterNames = ['submitted', 'accepted', 'acceptedOnTime', 'resolved', 'notResolved', 'escalated', 'mediationAgreements'] as const;
export type Counter = (typeof counterNames)[number];

/** Histogram bucket upper bounds: minutes to accept, hours to resolve. Medians come from these. */
export const acceptBucketsMinutes = [15, 30, 60, 120, 240, 480, 720, 1440, 2880, 10080] as const;
export const resolveBucketsHours = [4, 8, 24, 48, 72, 168, 336, 720, 1440] as const;

function bucketOf(value: number, bounds: readonly number[]): string {
  const b = bounds.find((x) => value <= x);
  return b === undefined ? 'inf' : String(b);
}


/**
 * The upper bound of the histogram bucket holding the median; null when nothing was counted or the
 * median falls past the last bound. The /v1/stats rows and the console's figures both read it so.
 */
export function medianUpperBound(item: Record<string, unknown>, prefix: string, bounds: readonly number[]): number | null {
  const m = medianFromHistogram(item, prefix, bounds);
  return m === Infinity ? null : m;
}

function medianFromHistogram(item: Record<string, unknown>, prefix: string, bounds: readonly number[]): number | null {
  const counts = [...bounds.map(String), 'inf'].map((b) => [b, Number(item[`${prefix}${b}`] ?? 0)] as const);
  const total = counts.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const [b, n] of counts) {
    seen += n;
    if (seen * 2 >= total) return b === 'inf' ? Infinity : Number(b);
  }
  return null;
}

export interface StatsRow {
  key: string;
  /** Grid rows: the community the grid belongs to. */
  communityId?: string;
  submitted: number;
  accepted: number;
  acceptedOnTime: number;
  resolved: number;
  notResolved: number;
  escalated: number;
  mediationAgreements: number;
  /** Upper bound of the histogram bucket holding the median (null: no sample). */
  medianAcceptMinutesAtMost: number | null;
  medianResolveHoursAtMost: number | null;
}

/** One Query: every counter row of a month for one dimension. */
export async function readStats(month: string, dimension: 'ALL' | 'GRID' | 'COMMUNITY' | 'TYPE'): Promise<StatsRow[]> {
  const rows = await readCounterRows('REQ', month, dimension);
  return rows.map((item) => {
    const accept = medianUpperBound(item, 'acceptLe_', acceptBucketsMinutes);
    const resolve = medianUpperBound(item, 'resolveLe_', resolveBucketsHours);
    return {
      key: item.key as string,
      ...(item.communityId ? { communityId: item.communityId as string } : {}),
      ...Object.fromEntries(counterNames.map((c) => [c, Number(item[c] ?? 0)])),
      medianAcceptMinutesAtMost: accept,
      medianResolveHoursAtMost: resolve,
    } as StatsRow;
  });
}

// ---------------------------------------------------------------------------------------------
// Figures of the command centre, derived from a state change alone.

/**
 * What one state change adds to the figures, decided from the request before and after it (pure:
 * unit-tested without a database, and the same function serves every use-case, so no transition
 * can forget a counter). Three partitions:
 * - `month`: the cohort of the month the request was submitted in (Beijing time) — what /v1/stats
 *   and the trends show: submitted, accepted (on time), resolved by outcome, settled per level,
 *   resolved on time, ever overdue, escalations, ratings, mediation cases and agreements;
 * - `days`: the Beijing day it happened — received and resolved today;
 * - `current`: a snapshot — open now, and open and overdue now. Each is defined by an invariant on
 *   the items (open = assigned or in progress; overdue open = open with `overdueAt`), so a recount
 *   from the items gives the same number.
 */
export interface FigureChange {
  month: string;
  monthAdds: Record<string, number>;
  days: { date: string; adds: Record<string, number> }[];
  currentAdds: Record<string, number>;
}

const isOpen = (r: Pick<ServiceRequest, 'status'> | null) => !!r && (r.status === 'assigned' || r.status === 'in_progress');
const isOverdueOpen = (r: Pick<ServiceRequest, 'status' | 'overdueAt'> | null) => isOpen(r) && !!r?.overdueAt;
const settledName = { grid: 'settledGrid', community: 'settledCommunity', street: 'settledStreet', legal: 'settledLegal' } as const;

export function figureChange(before: ServiceRequest, after: ServiceRequest, at: Date, opts: { mediation?: boolean } = {}): FigureChange {
  const month: Record<string, number> = {};
  const add = (o: Record<string, number>, k: string, n = 1) => {
    if (n) o[k] = (o[k] ?? 0) + n;
  };
  const days: FigureChange['days'] = [];
  const current: Record<string, number> = {};
  add(current, 'open', Number(isOpen(after)) - Number(isOpen(before)));
  add(current, 'overdueOpen', Number(isOverdueOpen(after)) - Number(isOverdueOpen(before)));

  if (before.status === 'submitted' && after.status === 'assigned') {
    add(month, 'submitted');
    if (opts.mediation) add(month, 'mediationCases');
    // Filed by another system through Open311: the 12345 hotline, or a partner.
    if (after.channel) add(month, after.channel.kind === 'hotline_12345' ? 'viaHotline' : 'viaPartner');
    days.push({ date: beijingDate(after.createdAt), adds: { submitted: 1 } });
  }
  if (!before.acceptedAt && after.acceptedAt) {
    add(month, 'accepted');
    if (before.acceptDueAt && after.acceptedAt <= before.acceptDueAt) add(month, 'acceptedOnTime');
    add(month, `acceptLe_${bucketOf((Date.parse(after.acceptedAt) - Date.parse(before.assignedAt ?? before.createdAt)) / 60_000, acceptBucketsMinutes)}`);
  }
  if (before.status === 'in_progress' && after.status === 'resolved') {
    if (after.outcome === 'resolved') add(month, 'resolved');
    else if (after.outcome === 'not_resolved') add(month, 'notResolved');
    add(month, settledName[after.level ?? 'street']);
    if (!after.overdueAt) add(month, 'resolvedOnTime');
    add(month, `resolveLe_${bucketOf((at.getTime() - Date.parse(before.createdAt)) / 3_600_000, resolveBucketsHours)}`);
    days.push({ date: beijingDate(at), adds: { resolved: 1 } });
  }
  if (!before.overdueAt && after.overdueAt) add(month, 'overdue');
  add(month, 'escalated', after.escalations - before.escalations);
  if (!before.rating && after.rating) {
    add(month, 'rated');
    add(month, 'ratingSum', after.rating.score);
    if (after.rating.score >= 4) add(month, 'ratedHigh');
  }
  if (!before.mediation?.agreedAt && after.mediation?.agreedAt) add(month, 'mediationAgreements');
  return { month: beijingMonth(before.createdAt), monthAdds: month, days, currentAdds: current };
}

/** A figure change as a counter delta on the request's grid, community, type and overall rows (see counterDelta). */
export function figureDelta(r: Pick<ServiceRequest, 'gridId' | 'communityId' | 'typeCode'>, change: FigureChange): CounterDelta | null {
  const targets: [string, string, Record<string, string>?][] = [['ALL', 'all'], ['TYPE', r.typeCode]];
  if (r.gridId) targets.push(['GRID', r.gridId, r.communityId ? { communityId: r.communityId } : undefined]);
  if (r.communityId) targets.push(['COMMUNITY', r.communityId]);
  const rows = (period: string, adds: Record<string, number>) => targets.map(([dimension, value, set]) => ({ domain: 'REQ', period, dimension, value, ...(set ? { set } : {}), adds }));
  return counterDelta([...rows(change.month, change.monthAdds), ...rows('current', change.currentAdds), ...change.days.flatMap((d) => rows(d.date, d.adds))]);
}
