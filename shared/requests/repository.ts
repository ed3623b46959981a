import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

import { ddb } from '../aws';
import { config } from '../config';
import { batchGet, itemKey, queryPartition } from '../db/batch';
import type { TransactItem } from '../db/conditions';
import { writeIf } from '../db/conditions';
import { fromItem as itemToDomain } from '../db/items';
import { decodeCursor, encodeCursor, keys } from '../db/keys';
import { homeStreetId } from '../org/repository';
import { beijingMonth } from '../time';
import { reopenEnds, type RequestStatus, type ServiceRequest, type TimelineEvent } from './model';


/** The handling queue a request sits in: its grid, community, the sub-district or the legal centre. */
export function queueOf(r: ServiceRequest): string | null {
  switch (r.level) {
    case 'grid':
      return r.gridId ? keys.inboxQueue('grid', r.gridId) : null;
    case 'community':
      return r.communityId ? keys.inboxQueue('community', r.communityId) : null;
    case 'street':
      return keys.inboxQueue('street', r.streetId ?? homeStreetId);
    case 'legal':
      return keys.inboxQueue('legal', r.streetId ?? homeStreetId);
    default:
      return null;
  }
}

/** The deadline that orders the inbox for the request's status. */
export function inboxDue(r: ServiceRequest): string {
  if (r.status === 'assigned') return r.acceptDueAt ?? r.createdAt;
  if (r.status === 'in_progress') return r.resolveDueAt ?? r.createdAt;
  if (r.status === 'resolved') return r.resolvedAt ?? r.createdAt;
  return r.closedAt ?? r.createdAt;
}

/**
 * The next deadline the sweep acts on, or null when nothing is due (sparse SLA index): accepting,
 * resolving, or — once resolved — the end of the resident's window to confirm or reopen.
 */
export function nextSlaDue(r: ServiceRequest): string | null {
  if (r.status === 'resolved') return r.resolvedAt ? reopenEnds(r.resolvedAt) : null;
  if (r.breachedAtTop) return null;
  if (r.status === 'assigned') return r.acceptDueAt ?? null;
  if (r.status === 'in_progress') return r.resolveDueAt ?? null;
  return null;
}

function toItem(r: ServiceRequest): Record<string, unknown> {
  const queue = queueOf(r);
  const sla = nextSlaDue(r);
  return {
    ...keys.request(r.requestId),
    ...keys.requestByRequester(r.requesterId, r.createdAt, r.requestId),
    ...keys.requestByMonth(beijingMonth(r.createdAt), r.createdAt, r.requestId),
    ...(queue && r.status !== 'submitted' ? keys.requestInbox(queue, r.status, inboxDue(r), r.requestId) : {}),
    // Until routed, a request waits in its own sparse partition, so a lost intake message is noticed.
    ...(r.status === 'submitted' ? keys.requestUnrouted(r.createdAt, r.requestId) : sla ? keys.requestSla(sla, r.requestId) : {}),
    type: 'Request',
    ...r,
  };
}

const fromItem = (item: Record<string, unknown>) => itemToDomain<ServiceRequest>(item);

function eventPut(requestId: string, e: TimelineEvent): TransactItem {
  return {
    Put: {
      TableName: config().TABLE_NAME,
      Item: { ...keys.requestEvent(requestId, e.seq), type: 'RequestEvent', ...e },
      // The timeline is append-only: an entry is never rewritten.
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Stores a new request with its first timeline entry and whatever must commit with it. */
export async function createRequest(r: ServiceRequest, event: TimelineEvent, also: TransactItem[]): Promise<void> {
  await ddb().send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: config().TABLE_NAME, Item: toItem(r), ConditionExpression: 'attribute_not_exists(pk)' } },
        eventPut(r.requestId, event),
        ...also,
      ],
    }),
  );
}

/**
 * Writes a transition: the request at its new version, its timeline entry, and the rest, in
 * one transaction guarded by the version read. Returns false when someone else changed the
 * request first (the caller reports a conflict or, in a consumer, treats it as done).
 */
export async function saveTransition(
  expectedVersion: number,
  after: ServiceRequest,
  events: TimelineEvent[],
  also: TransactItem[] = [],
): Promise<boolean> {
  return writeIf(() =>
    ddb().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: config().TABLE_NAME,
              Item: toItem(after),
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': expectedVersion },
            },
          },
          ...events.map((e) => eventPut(after.requestId, e)),
          ...also,
        ],
      }),
    ),
  );
}

export async function getRequest(requestId: string, consistent = false): Promise<ServiceRequest | null> {
  const out = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.request(requestId), ConsistentRead: consistent }));
  return out.Item ? fromItem(out.Item) : null;
}

/** Several requests by id in one BatchGetItem (absent ones left out), in the order asked. */
export async function getRequests(requestIds: readonly string[]): Promise<ServiceRequest[]> {
  const items = await batchGet(requestIds.map((id) => keys.request(id)));
  return requestIds.flatMap((id) => {
    const item = items.get(itemKey(keys.request(id)));
    return item ? [fromItem(item)] : [];
  });
}

/** The request and its whole timeline in one Query (they share a partition). */
export async function getRequestWithTimeline(requestId: string): Promise<{ request: ServiceRequest; timeline: TimelineEvent[] } | null> {
  let request: ServiceRequest | null = null;
  const timeline: TimelineEvent[] = [];
  for (const item of await queryPartition(keys.requestPartition(requestId), { consistent: true })) {
    if (item.sk === 'META') request = fromItem(item);
    else if (item.type === 'RequestEvent') {
      const { pk: _p, sk: _s, type: _t, ...e } = item;
      timeline.push(e as unknown as TimelineEvent);
    }
  }
  return request ? { request, timeline } : null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

async function queryIndex(
  index: 'byOwner' | 'byScope' | 'byFeed',
  pkName: string,
  pkValue: string,
  opts: { limit: number; cursor?: string; forward: boolean; skBelow?: { name: string; value: string } },
): Promise<Page<ServiceRequest>> {
  const page = await queryIndexItems(index, pkName, pkValue, opts);
  return { items: page.items.map(fromItem), nextCursor: page.nextCursor };
}

/** One page of an index's stored items, as stored. */
async function queryIndexItems(
  index: 'byOwner' | 'byScope' | 'byFeed',
  pkName: string,
  pkValue: string,
  opts: { limit: number; cursor?: string; forward: boolean; skBelow?: { name: string; value: string } },
): Promise<Page<Record<string, unknown>>> {
  const out = await ddb().send(
    new QueryCommand({
      TableName: config().TABLE_NAME,
      IndexName: index,
      KeyConditionExpression: `${pkName} = :pk${opts.skBelow ? ` AND ${opts.skBelow.name} < :below` : ''}`,
      ExpressionAttributeValues: { ':pk': pkValue, ...(opts.skBelow ? { ':below': opts.skBelow.value } : {}) },
      Limit: opts.limit,
      ScanIndexForward: opts.forward,
      ExclusiveStartKey: decodeCursor(opts.cursor),
    }),
  );
  return { items: out.Items ?? [], nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

/**
 * A resident's requests, newest first: their own, and those they follow (代办 for a member of their
 * household), which are pointers on the page resolved by one BatchGetItem.
 */
export async function listByRequester(userId: string, limit: number, cursor?: string): Promise<Page<ServiceRequest>> {
  const { items, nextCursor } = await queryIndexItems('byOwner', 'ownerPk', keys.requestByRequesterPartition(userId), { limit, cursor, forward: false });
  const followed = items.filter((i) => i.type === 'RequestFollower').map((i) => keys.request(i.requestId as string));
  const requests = followed.length ? await batchGet(followed) : new Map<string, Record<string, unknown>>();
  return {
    items: items.flatMap((i) => {
      const item = i.type === 'RequestFollower' ? requests.get(itemKey(keys.request(i.requestId as string))) : i;
      return item ? [fromItem(item)] : [];
    }),
    nextCursor,
  };
}

/** The pointer that puts a request in a follower's list (written with the request). */
export function followerPut(r: ServiceRequest, userId: string): TransactItem {
  return {
    Put: {
      TableName: config().TABLE_NAME,
      Item: { ...keys.requestFollower(r.requestId, userId, r.createdAt), type: 'RequestFollower', requestId: r.requestId, userId },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function listInbox(queue: string, status: RequestStatus, limit: number, cursor?: string) {
  return queryIndex('byScope', 'scopePk', keys.requestInboxPartition(queue, status), { limit, cursor, forward: true });
}

/** Requests still waiting for routing that were submitted before `before`, oldest first. */
export function listUnrouted(before: Date, limit: number) {
  return queryIndex('byFeed', 'feedPk', keys.requestUnroutedPartition, {
    limit,
    forward: true,
    skBelow: { name: 'feedSk', value: before.toISOString() },
  });
}

/** Open requests whose next deadline is before `now`, oldest first. */
export function listSlaDue(now: Date, limit: number, cursor?: string) {
  return queryIndex('byFeed', 'feedPk', keys.requestSlaPartition, {
    limit,
    cursor,
    forward: true,
    skBelow: { name: 'feedSk', value: now.toISOString() },
  });
}

/**
 * Every open request of the sub-district for the console's queue board, earliest deadline first
 * (overdue first): the SLA index holds each routed open request under its next deadline; those
 * past the deadline at the top level left it and wait in the sub-district's inbox. Capped pages.
 */
export async function listOpenRequests(streetQueue: string, maxItems = 2000): Promise<ServiceRequest[]> {
  const topLevelPages = Promise.all((['assigned', 'in_progress'] as const).map((s) => queryIndex('byScope', 'scopePk', keys.requestInboxPartition(streetQueue, s), { limit: 500, forward: true })));
  const seen = new Map<string, ServiceRequest>();
  let cursor: string | undefined;
  do {
    const page = await queryIndex('byFeed', 'feedPk', keys.requestSlaPartition, { limit: 500, cursor, forward: true });
    for (const r of page.items) seen.set(r.requestId, r);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && seen.size < maxItems);
  for (const r of (await topLevelPages).flatMap((p) => p.items)) seen.set(r.requestId, r);
  return [...seen.values()].filter((r) => r.status === 'assigned' || r.status === 'in_progress');
}

/** The open requests waiting at a grid's own level (its workers' backlog): its two open inbox partitions. */
export async function listGridLevelOpen(gridId: string): Promise<ServiceRequest[]> {
  const pages = await Promise.all((['assigned', 'in_progress'] as const).map((s) => queryIndex('byScope', 'scopePk', keys.requestInboxPartition(keys.inboxQueue('grid', gridId), s), { limit: 500, forward: true })));
  return pages.flatMap((p) => p.items);
}

/**
 * Requests submitted in one Beijing month between two instants, newest first (Open311's list):
 * one Query, at most `limit` items.
 */
export async function listRequestsOfMonth(month: string, from: string, to: string, limit: number): Promise<ServiceRequest[]> {
  const out = await ddb().send(
    new QueryCommand({
      TableName: config().TABLE_NAME,
      IndexName: 'byLookup',
      KeyConditionExpression: 'lookupPk = :pk AND lookupSk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.requestByMonthPartition(month), ':from': from, ':to': `${to}~` },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map(fromItem);
}

/** Open311: the token's item, to write in the request's own transaction. */
export function open311TokenPut(token: string, requestId: string, keyId: string): TransactItem {
  return { Put: { TableName: config().TABLE_NAME, Item: { ...keys.open311Token(token), type: 'Open311Token', token, requestId, keyId }, ConditionExpression: 'attribute_not_exists(pk)' } };
}

export async function getOpen311Token(token: string): Promise<{ requestId: string; keyId: string } | null> {
  const out = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.open311Token(token) }));
  return out.Item ? { requestId: out.Item.requestId as string, keyId: out.Item.keyId as string } : null;
}
