import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../aws';
import { config } from '../config';
import { batchGet, itemKey } from '../db/batch';
import { keys } from '../db/keys';
import { beijingMonth } from '../time';
import { logger } from '../logger';

/**
 * Counters behind GET /v1/stats: one item per domain, month and dimension value, bumped with
 * atomic ADDs after the change they count has committed — never inside its transaction, so that
 * a hot counter never makes a resident's write fail. A crash between the two loses one count,
 * logged; a dashboard can bear that, a lost submission it could not.
 */
export async function addCounters(
  domain: string,
  month: string,
  targets: readonly (readonly [dimension: string, value: string, set?: Record<string, string>])[],
  adds: Record<string, number>,
): Promise<void> {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const parts: string[] = [];
  Object.entries(adds).forEach(([name, n], i) => {
    if (!n) return;
    names[`#a${i}`] = name;
    values[`:a${i}`] = n;
    parts.push(`#a${i} :a${i}`);
  });
  if (parts.length === 0) return;
  await Promise.all(
    targets.map(async ([dimension, value, set]) => {
      const setNames: Record<string, string> = {};
      const setValues: Record<string, string> = {};
      const sets = Object.entries(set ?? {}).map(([k, v], i) => {
        setNames[`#s${i}`] = k;
        setValues[`:s${i}`] = v;
        return `#s${i} = :s${i}`;
      });
      try {
        await ddb().send(
          new UpdateCommand({
            TableName: config().TABLE_NAME,
            Key: keys.stats(domain, month, dimension, value),
            UpdateExpression: `ADD ${parts.join(', ')}${sets.length ? ` SET ${sets.join(', ')}` : ''}`,
            ExpressionAttributeNames: { ...names, ...setNames },
            ExpressionAttributeValues: { ...values, ...setValues },
          }),
        );
      } catch (err) {
        logger.error('stats counter lost', { domain, dimension, value, adds, error: err as Error });
      }
    }),
  );
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
