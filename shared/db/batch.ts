import { BatchGetCommand, BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

import { ddb } from '../aws';
import { config } from '../config';

/** Puts many items in BatchWriteItem calls of 25, retrying unprocessed items with backoff. */
export async function batchPut(items: Record<string, unknown>[]): Promise<void> {
  await batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
}

export async function batchDelete(keys: { pk: string; sk: string }[]): Promise<void> {
  await batchWrite(keys.map((Key) => ({ DeleteRequest: { Key } })));
}

/** BatchWriteItem 25 at a time, retrying what DynamoDB leaves unprocessed (with backoff). */
async function batchWrite(all: ({ PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } })[]): Promise<void> {
  const table = config().TABLE_NAME;
  for (let i = 0; i < all.length; i += 25) {
    let requests = all.slice(i, i + 25);
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error(`batch write: ${requests.length} requests still unprocessed`);
      if (attempt > 0) await new Promise((r) => setTimeout(r, 2 ** attempt * 20));
      const out = await ddb().send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  }
}

/** The map key of an item or a key: `pk|sk`. */
export const itemKey = (k: { pk?: unknown; sk?: unknown }): string => `${String(k.pk)}|${String(k.sk)}`;

/**
 * The items at the given keys (BatchGetItem, 100 keys a call, unprocessed keys retried with
 * backoff), by `itemKey`; a key with no item is absent. Throws when keys stay unprocessed rather
 * than answering as if those items did not exist.
 */
export async function batchGet(wanted: readonly { pk: string; sk: string }[], opts: { consistent?: boolean } = {}): Promise<Map<string, Record<string, unknown>>> {
  const table = config().TABLE_NAME;
  const found = new Map<string, Record<string, unknown>>();
  const unique = [...new Map(wanted.map((k) => [itemKey(k), { pk: k.pk, sk: k.sk }])).values()];
  for (let i = 0; i < unique.length; i += 100) {
    let pending: Record<string, unknown>[] = unique.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error(`batchGet: ${pending.length} keys still unprocessed`);
      if (attempt > 0) await new Promise((r) => setTimeout(r, 2 ** attempt * 20));
      const out = await ddb().send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ...(opts.consistent ? { ConsistentRead: true } : {}) } } }));
      for (const item of out.Responses?.[table] ?? []) found.set(itemKey(item), item);
      pending = out.UnprocessedKeys?.[table]?.Keys ?? [];
    }
  }
  return found;
}

/**
 * Every item of one partition of the table, following pages (a request with its timeline, the
 * revocation list): still one Query for any partition under 1 MB.
 */
export async function queryPartition(pk: string, opts: { consistent?: boolean } = {}): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb().send(
      new QueryCommand({
        TableName: config().TABLE_NAME,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: start,
        ...(opts.consistent ? { ConsistentRead: true } : {}),
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}
