import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

import { ddb } from '../aws';
import { config } from '../config';
import { batchGet, itemKey } from '../db/batch';
import type { TransactItem } from '../db/conditions';
import { keys } from '../db/keys';
import { buildUpdate } from '../db/update';
import { logger } from '../logger';
import { itemsWrittenBefore, newTimeId, workOffBacklog } from '../queue/messages';
import { beijingMonth } from '../time';

/** One counter row's additions: the row (domain, period, dimension, value), attributes to set on it, and the adds. */
export interface CounterUpdate {
  domain: string;
  period: string;
  dimension: string;
  value: string;
  set?: Record<string, string>;
  adds: Record<string, number>;
}

/** What one state change adds to the counters, under its own id. */
export interface CounterDelta {
  deltaId: string;
  updates: CounterUpdate[];
}


/**
 * Counters that cannot drift. A state change writes its delta as an item in its own transaction
 * (`counterDeltaPut`), so the delta exists if and only if the change committed; then it is folded
 * into the counters (`foldCounterDeltas`) by one transaction that adds to every row and deletes the
 * delta on condition that it still exists — so a delta is counted exactly once, whoever folds it
 * and however often. The state change never touches a counter row itself: a hot row (the
 * sub-district's "open now") cannot make a resident's write fail. A fold that loses a race (or a
 * crash before it) leaves the delta for the outbox-reconcile schedule, which folds what is older
 * than a minute. Chosen over ADDs after the commit (a crash lost a count) and over ADDs inside the
 * transaction (every change would contend on the same rows).
 */
export function counterDelta(updates: readonly CounterUpdate[]): CounterDelta | null {
  // One update per row (a transaction may not touch an item twice), zeros dropped.
  const rows = new Map<string, CounterUpdate>();
  for (const u of updates) {
    const key = [u.domain, u.period, u.dimension, u.value].join('|');
    const row = rows.get(key) ?? { domain: u.domain, period: u.period, dimension: u.dimension, value: u.value, adds: {} };
    if (u.set) row.set = { ...row.set, ...u.set };
    for (const [name, n] of Object.entries(u.adds)) row.adds[name] = (row.adds[name] ?? 0) + n;
    rows.set(key, row);
  }
  const kept = [...rows.values()]
    .map((u) => ({ ...u, adds: Object.fromEntries(Object.entries(u.adds).filter(([, n]) => n !== 0)) }))
    .filter((u) => Object.keys(u.adds).length > 0);
  return kept.length ? { deltaId: newTimeId(), updates: kept } : null;
}

/** The Put of a delta, for the state change's own TransactWriteItems. */
export function counterDeltaPut(d: CounterDelta): TransactItem {
  return {
    Put: {
      TableName: config().TABLE_NAME,
      Item: { ...keys.counterDelta(d.deltaId), type: 'CounterDelta', updates: d.updates },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

function counterUpdateItem(u: CounterUpdate): TransactItem {
  return { Update: { TableName: config().TABLE_NAME, Key: keys.stats(u.domain, u.period, u.dimension, u.value), ...buildUpdate({ add: u.adds, set: u.set }) } };
}

/** The delta's Put as a list (empty when the change counts nothing), to spread into a transaction. */
export function deltaPuts(d: CounterDelta | null): TransactItem[] {
  return d ? [counterDeltaPut(d)] : [];
}

/**
 * Folds committed deltas into the counters, each exactly once (see counterDelta). Returns how
 * many it folded now and how many it left for the reconcile schedule (a lost race on a hot row).
 */
export async function foldCounterDeltas(maybe: readonly (CounterDelta | null)[]): Promise<{ folded: number; left: number }> {
  const deltas = maybe.filter((d): d is CounterDelta => d !== null);
  let folded = 0;
  for (const d of deltas) {
    for (let attempt = 0; ; attempt++) {
      try {
        await ddb().send(
          new TransactWriteCommand({
            TransactItems: [
              { Delete: { TableName: config().TABLE_NAME, Key: keys.counterDelta(d.deltaId), ConditionExpression: 'attribute_exists(pk)' } },
              ...d.updates.map(counterUpdateItem),
            ],
          }),
        );
        folded++;
        break;
      } catch (err) {
        const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
        // Someone else folded it first: counted once, as it must be.
        if (reasons?.[0]?.Code === 'ConditionalCheckFailed') break;
        if (attempt >= 2) {
          logger.warn('counter delta left for the reconcile schedule', { deltaId: d.deltaId, error: err as Error });
          break;
        }
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
      }
    }
  }
  return { folded, left: deltas.length - folded };
}

/** Deltas written before `olderThan` and not folded yet (their fold lost a race, or its process died). */
export async function pendingCounterDeltas(olderThan: Date, limit = 100): Promise<CounterDelta[]> {
  return (await itemsWrittenBefore(keys.counterDeltaPartition, olderThan, limit)).map((i) => ({ deltaId: i.sk as string, updates: i.updates as CounterUpdate[] }));
}

/** Folds every delta older than the grace period (the outbox-reconcile schedule; `npm run recount` first). */
export async function reconcileCounterDeltas(now = new Date(), graceMs = 60_000): Promise<{ folded: number; left: number }> {
  const r = await workOffBacklog(
    () => pendingCounterDeltas(new Date(now.getTime() - graceMs)),
    async (deltas) => {
      const f = await foldCounterDeltas(deltas);
      return { done: f.folded, left: f.left };
    },
  );
  return { folded: r.done, left: r.left };
}

/** One Query: every counter row of a month for one dimension of a domain. */
export async function readCounterRows(domain: string, month: string, dimension: string): Promise<Record<string, unknown>[]> {
  const out = await ddb().send(
    new QueryCommand({
      TableName: config().TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :dim)',
      ExpressionAttributeValues: { ':pk': keys.statsPartition(domain, month), ':dim': `${dimension}#` },
    }),
  );
  return (out.Items ?? []).map((item) => ({ ...item, key: String(item.sk).slice(dimension.length + 1) }));
}

/** The figures' month of an instant: Beijing time, as the staff count them. */
export function monthOf(iso: string): string {
  return beijingMonth(iso);
}

/** One BatchGetItem: the counter rows at the given (partition, dimension, value) keys; missing rows read as empty. */
export async function readCounterItems(
  wanted: readonly { domain: string; period: string; dimension: string; value: string }[],
): Promise<Record<string, number>[]> {
  const keyOf = (w: (typeof wanted)[number]) => keys.stats(w.domain, w.period, w.dimension, w.value);
  const found = await batchGet(wanted.map(keyOf));
  return wanted.map((w) => {
    const k = keyOf(w);
    const item = found.get(itemKey(k)) ?? {};
    return Object.fromEntries(Object.entries(item).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
  });
}
