import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../aws';
import { config } from '../config';
import { keys } from '../db/keys';
import { logger } from '../logger';

/**
 * Request counters for GET /v1/stats, per month and per grid, community, type and overall.
 * Updated with atomic ADDs after a transition has committed, outside its transaction: a counter
 * must never make a resident's submission fail or contend with it. The price: a crash between
 * the commit and the ADD loses one count (logged), which a dashboard can bear.
 */
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

export function monthOf(iso: string): string {
  // Months follow Asia/Shanghai (UTC+8, no daylight saving), as the staff count them.
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 7);
}

export async function bump(
  dims: Dimensions,
  counters: Partial<Record<Counter, number>>,
  samples: { acceptMinutes?: number; resolveHours?: number } = {},
): Promise<void> {
  const adds: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  for (const [name, n] of Object.entries(counters)) {
    if (!n) continue;
    names[`#${name}`] = name;
    values[`:${name}`] = n;
    adds.push(`#${name} :${name}`);
  }
  if (samples.acceptMinutes !== undefined) {
    const attr = `acceptLe_${bucketOf(samples.acceptMinutes, acceptBucketsMinutes)}`;
    names['#ah'] = attr;
    values[':ah'] = 1;
    adds.push('#ah :ah');
  }
  if (samples.resolveHours !== undefined) {
    const attr = `resolveLe_${bucketOf(samples.resolveHours, resolveBucketsHours)}`;
    names['#rh'] = attr;
    values[':rh'] = 1;
    adds.push('#rh :rh');
  }
  if (adds.length === 0) return;
  const targets: [string, string][] = [['ALL', 'all'], ['TYPE', dims.typeCode]];
  if (dims.gridId) targets.push(['GRID', dims.gridId]);
  if (dims.communityId) targets.push(['COMMUNITY', dims.communityId]);
  await Promise.all(
    targets.map(([dimension, value]) => {
      // A grid row remembers its community, so community staff can be shown just their grids.
      const withCommunity = dimension === 'GRID' && dims.communityId;
      return ddb()
        .send(
          new UpdateCommand({
            TableName: config().TABLE_NAME,
            Key: keys.stats('REQ', dims.month, dimension, value),
            UpdateExpression: `ADD ${adds.join(', ')}${withCommunity ? ' SET #communityId = :communityId' : ''}`,
            ExpressionAttributeNames: { ...names, ...(withCommunity ? { '#communityId': 'communityId' } : {}) },
            ExpressionAttributeValues: { ...values, ...(withCommunity ? { ':communityId': dims.communityId } : {}) },
          }),
        )
        .catch((err) => logger.error('stats counter lost', { dimension, value, counters, error: err as Error }));
    }),
  );
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
  const out = await ddb().send(
    new QueryCommand({
      TableName: config().TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :dim)',
      ExpressionAttributeValues: { ':pk': keys.statsPartition('REQ', month), ':dim': `${dimension}#` },
    }),
  );
  return (out.Items ?? []).map((item) => {
    const accept = medianFromHistogram(item, 'acceptLe_', acceptBucketsMinutes);
    const resolve = medianFromHistogram(item, 'resolveLe_', resolveBucketsHours);
    return {
      key: String(item.sk).slice(dimension.length + 1),
      ...(item.communityId ? { communityId: item.communityId as string } : {}),
      ...Object.fromEntries(counterNames.map((c) => [c, Number(item[c] ?? 0)])),
      medianAcceptMinutesAtMost: accept === Infinity ? null : accept,
      medianResolveHoursAtMost: resolve === Infinity ? null : resolve,
    } as StatsRow;
  });
}
