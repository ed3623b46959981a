import { GetQueueAttributesCommand,SendMessageCommand } from '@aws-sdk/client-sqs';
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { encodeTime, monotonicFactory } from 'ulid';

import { ddb, sqs } from '../aws';
import { config } from '../config';
import { batchPut } from '../db/batch';
import type { TransactItem } from '../db/conditions';
import { keys } from '../db/keys';
import { logger } from '../logger';
import { type QueueId,queues } from '../resources';
import { assertMaySend, UndeclaredAccessError } from '../system/grants';

/**
 * Transactional outbox. A use-case that must send a queue message puts an outbox item in the
 * same DynamoDB transaction as its own writes (`outboxPut`), then calls `flushOutbox`: the
 * message is sent and the outbox item deleted. If the send fails nothing is lost: the
 * outbox-reconcile schedule sends whatever is older than the grace period. Consumers are
 * idempotent, so the rare double send (send succeeded, delete failed) is harmless.
 */
export interface QueueMessage {
  queue: QueueId;
  body: Record<string, unknown>;
  /** FIFO only: the ordering group (gridId, activityId). */
  groupId?: string;
  /** FIFO only: deduplication id (SQS drops a repeat within 5 minutes). */
  dedupId?: string;
}

export interface OutboxEntry extends QueueMessage {
  messageId: string;
}

const nextId = monotonicFactory();

/** A new time-ordered id (ULID), monotonic within the process. */
export const newTimeId = (): string => nextId();

export function newOutboxEntry(message: QueueMessage): OutboxEntry {
  return { ...message, messageId: nextId() };
}

/** The Put to include in the caller's TransactWriteItems. */
export function outboxPut(entry: OutboxEntry): TransactItem {
  const ttlSeconds = Math.floor(Date.now() / 1000) + 14 * 24 * 3600;
  return {
    Put: {
      TableName: config().TABLE_NAME,
      Item: { ...keys.outbox(entry.messageId), type: 'Outbox', entry, expiresAt: ttlSeconds },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export async function sendMessage(message: QueueMessage & { messageId?: string }): Promise<void> {
  assertMaySend(message.queue);
  const def = queues[message.queue];
  await sqs().send(
    new SendMessageCommand({
      QueueUrl: config().queueUrls[message.queue],
      MessageBody: JSON.stringify(message.body),
      ...(def.fifo
        ? {
            MessageGroupId: message.groupId ?? 'default',
            MessageDeduplicationId: message.dedupId ?? message.messageId ?? nextId(),
          }
        : {}),
    }),
  );
}

/** Stores outbox entries that belong to no other write (a fan-out of notifications), then sends them. */
export async function enqueue(entries: OutboxEntry[]): Promise<void> {
  await batchPut(entries.map((e) => outboxPut(e).Put!.Item as Record<string, unknown>));
  await flushOutbox(entries);
}

/** Sends committed outbox entries now; failures are logged and left for the reconcile schedule. */
export async function flushOutbox(entries: OutboxEntry[]): Promise<{ sent: number; deferred: number }> {
  let sent = 0;
  for (const entry of entries) {
    try {
      await sendMessage(entry);
      await ddb().send(new DeleteCommand({ TableName: config().TABLE_NAME, Key: keys.outbox(entry.messageId) }));
      sent++;
    } catch (err) {
      // A send the function was never granted is a bug to fix, not a queue outage to ride out.
      if (err instanceof UndeclaredAccessError) throw err;
      logger.warn('queue send deferred to outbox reconciliation', { queue: entry.queue, messageId: entry.messageId, error: err as Error });
    }
  }
  return { sent, deferred: entries.length - sent };
}

/** Outbox entries created before `olderThan` (ULIDs sort by time), oldest first. */
export async function pendingOutbox(olderThan: Date, limit = 100): Promise<OutboxEntry[]> {
  return (await itemsWrittenBefore(keys.outboxPartition, olderThan, limit)).map((i) => i.entry as OutboxEntry);
}

/**
 * The oldest items of a partition keyed by ULID (the outbox, counter deltas) written before
 * `olderThan`: what a use-case committed but has not finished within the grace period.
 */
export async function itemsWrittenBefore(partition: string, olderThan: Date, limit: number): Promise<Record<string, unknown>[]> {
  const out = await ddb().send(
    new QueryCommand({
      TableName: config().TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND sk < :before',
      // The smallest ULID of that millisecond: its time part followed by zeros.
      ExpressionAttributeValues: { ':pk': partition, ':before': encodeTime(olderThan.getTime(), 10) + '0'.repeat(16) },
      Limit: limit,
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

export async function queueDepth(queue: QueueId): Promise<number> {
  const out = await sqs().send(
    new GetQueueAttributesCommand({ QueueUrl: config().queueUrls[queue], AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0);
}

/** A use-case normally flushes its own outbox entry within milliseconds; older ones are stuck. */
export const outboxGraceMs = 60_000;

/**
 * Sends every outbox entry older than the grace period. Bounded: a large backlog is worked off
 * over several runs rather than in one long one. `now` is a parameter so tests control the clock.
 */
export async function reconcileOutbox(now = new Date(), graceMs = outboxGraceMs): Promise<{ sent: number; deferred: number }> {
  const r = await workOffBacklog(
    () => pendingOutbox(new Date(now.getTime() - graceMs)),
    async (entries) => {
      const f = await flushOutbox(entries);
      return { done: f.sent, left: f.deferred };
    },
  );
  return { sent: r.done, deferred: r.left };
}

/** Finishes a backlog page by page, at most 10 pages a run, stopping when a page makes no progress. */
export async function workOffBacklog<T>(page: () => Promise<T[]>, finish: (items: T[]) => Promise<{ done: number; left: number }>): Promise<{ done: number; left: number }> {
  let done = 0;
  let left = 0;
  for (let round = 0; round < 10; round++) {
    const items = await page();
    if (items.length === 0) break;
    const r = await finish(items);
    done += r.done;
    left += r.left;
    if (r.done === 0) break;
  }
  return { done, left };
}
