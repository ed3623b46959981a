import { addCounters, readCounterRows } from '../stats/counters';

export { monthOf } from '../stats/counters';

/** Request counters for GET /v1/stats, per month and per grid, community, type and overall. */
export const counterNames = ['submitted', 'accepted', 'acceptedOnTime', 'resolved', 'notResolved', 'escalated', 'mediationAgreements'] as const;
export type Counter = (typeof counterNames)[number];

/** Histogram bucket upper bounds: minutes to accept, hours to resolve. Medians come from these. */
export const acceptBucketsMinutes = [15, 30, 60, 120, 240, 480, 720, 1440, 2880, 10080] as const;
export const resolveBucketsHours = [4, 8, 24, 48, 72, 168, 336, 720, 1440] as const;

export interface Dimensions {
  month: string;
  gridId?: string;
  communityId?: string;
  typeCode: string;
}

function bucketOf(value: number, bounds: readonly number[]): string {
  const b = bounds.find((x) => value <= x);
  return b === undefined ? 'inf' : String(b);
}


export async function bump(
  dims: Dimensions,
  counters: Partial<Record<Counter, number>>,
  samples: { acceptMinutes?: number; resolveHours?: number } = {},
): Promise<void> {
  const adds: Record<string, number> = { ...counters };
  if (samples.acceptMinutes !== undefined) adds[`acceptLe_${bucketOf(samples.acceptMinutes, acceptBucketsMinutes)}`] = 1;
  if (samples.resolveHours !== undefined) adds[`resolveLe_${bucketOf(samples.resolveHours, resolveBucketsHours)}`] = 1;
  const targets: [string, string, Record<string, string>?][] = [['ALL', 'all'], ['TYPE', dims.typeCode]];
  // A grid row remembers its community, so community staff can be shown just their grids.
  if (dims.gridId) targets.push(['GRID', dims.gridId, dims.communityId ? { communityId: dims.communityId } : undefined]);
  if (dims.communityId) targets.push(['COMMUNITY', dims.communityId]);
  await addCounters('REQ', dims.month, targets, adds);
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
    const accept = medianFromHistogram(item, 'acceptLe_', acceptBucketsMinutes);
    const resolve = medianFromHistogram(item, 'resolveLe_', resolveBucketsHours);
    return {
      key: item.key as string,
      ...(item.communityId ? { communityId: item.communityId as string } : {}),
      ...Object.fromEntries(counterNames.map((c) => [c, Number(item[c] ?? 0)])),
      medianAcceptMinutesAtMost: accept === Infinity ? null : accept,
      medianResolveHoursAtMost: resolve === Infinity ? null : resolve,
    } as StatsRow;
  });
}
