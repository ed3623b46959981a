import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';

import { seedHistory } from '../../infra/local/history';
import { seedDemoData } from '../../infra/local/seed';
import { recount } from '../../infra/ops/recount-figures';
import { ddb } from '../../shared/aws';
import { config } from '../../shared/config';
import { trends } from '../../shared/console/figures';
import { keys } from '../../shared/db/keys';
import { useTestStack } from '../support/stack';

useTestStack({ workers: false });

// 2027-03-15 04:00 UTC (12:00 Beijing): the history covers 2026-04 … 2027-03.
const now = new Date('2027-03-15T04:00:00Z');

beforeAll(async () => {
  await seedDemoData(now);
  expect((await seedHistory(now)).created).toBe(true);
}, 180_000);

describe('the demo history', () => {
  it('fills twelve months, every type, with ratings, escalations and lateness', async () => {
    const t = await trends({ userId: 'street-1', roles: ['street_staff'] }, undefined, 12, now);
    expect(t.months[0]).toBe('2026-04');
    // Every full month has its 24–35 requests; the current month only those before now.
    for (const n of t.overall.received.slice(0, 11)) expect(n).toBeGreaterThanOrEqual(24);
    expect(t.overall.received.slice(0, 11).every((n) => n <= 35)).toBe(true);
    for (const type of t.byType) expect(type.received.reduce((a, b) => a + b, 0), type.key).toBeGreaterThan(0);
    const rates = t.overall.onTimeRate.slice(0, 11);
    expect(rates.every((r) => r !== null && r > 0.6 && r <= 1)).toBe(true);
    // Some were late: across the year, not every request was closed on time.
    const onTime = t.overall.resolvedOnTime.slice(0, 11).reduce((a, b) => a + b, 0);
    expect(onTime).toBeLessThan(t.overall.received.slice(0, 11).reduce((a, b) => a + b, 0));
    expect(rates.some((r) => r! < 0.9)).toBe(true);
    expect(t.overall.ratingAverage.slice(0, 11).every((r) => r !== null && r >= 3 && r <= 5)).toBe(true);
  });

  it('is deterministic: seeding again changes nothing', async () => {
    expect((await seedHistory(now)).created).toBe(false);
  });

  it('a start killed halfway through the history replays it next time without making a request twice', async () => {
    const before = await recount();
    // What a kill -9 during the first start leaves: the requests, but no "seeded" marker.
    await ddb().send(new DeleteCommand({ TableName: config().TABLE_NAME, Key: keys.seedMarker('history-v1') }));
    expect((await seedHistory(now)).created).toBe(true);
    const after = await recount();
    expect(after.requests).toBe(before.requests);
    expect(after.disagreements).toEqual([]);
  }, 180_000);

  it('every counter agrees with the items; a lost count is found and named', async () => {
    const clean = await recount();
    expect(clean.disagreements).toEqual([]);
    expect(clean.requests).toBeGreaterThan(300);
    expect(clean.checked).toBeGreaterThan(1000);

    // What a bug or a hand edit leaves behind (a crash no longer can: deltas): one count missing.
    await ddb().send(
      new UpdateCommand({ TableName: config().TABLE_NAME, Key: keys.stats('REQ', 'current', 'GRID', 'G007'), UpdateExpression: 'ADD #o :m', ExpressionAttributeNames: { '#o': 'open' }, ExpressionAttributeValues: { ':m': -1 } }),
    );
    const broken = await recount();
    expect(broken.disagreements).toHaveLength(1);
    expect(broken.disagreements[0]).toMatchObject({ partition: 'STATS#REQ#current', row: 'GRID#G007', counter: 'open' });
    expect(broken.disagreements[0]!.recomputed - broken.disagreements[0]!.counted).toBe(1);
  });
});
