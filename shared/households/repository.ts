import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

import { ddb } from '../aws';
import { config } from '../config';
import { batchGet, queryPartition } from '../db/batch';
import type { TransactItem } from '../db/conditions';
import { writeIf } from '../db/conditions';
import { fromItem } from '../db/items';
import { decodeCursor, encodeCursor, keys } from '../db/keys';
import type { Household, Visit } from './model';

const table = () => config().TABLE_NAME;


export function householdItem(h: Household): Record<string, unknown> {
  return {
    ...keys.household(h.householdId),
    ...keys.householdInGrid(h.gridId, h.householdId),
    ...keys.householdByColour(h.gridId, h.colour, h.householdId),
    type: 'Household',
    ...h,
  };
}

export function colourChangeItem(householdId: string, at: string, seq: number, change: { from: string | null; to: string; reason: string; by: string }) {
  return { ...keys.householdColourChange(householdId, at, seq), type: 'ColourChange', householdId, at, ...change };
}

export function colourChangePut(...args: Parameters<typeof colourChangeItem>) {
  return { Put: { TableName: table(), Item: colourChangeItem(...args) } };
}

export async function getHousehold(householdId: string, consistent = false): Promise<Household | null> {
  const out = await ddb().send(new GetCommand({ TableName: table(), Key: keys.household(householdId), ConsistentRead: consistent }));
  return out.Item ? fromItem<Household>(out.Item) : null;
}

/** Existing households by id (BatchGetItem, 100 keys a call). */
export async function getHouseholds(ids: string[]): Promise<Map<string, Household>> {
  const items = await batchGet(ids.map((id) => keys.household(id)));
  return new Map([...items.values()].map((item) => [item.householdId as string, fromItem<Household>(item)]));
}

/** One chunk of a roster import and what it adds to the figures, in one transaction (at most 100 items). */
export async function writeImportChunk(items: Record<string, unknown>[], also: TransactItem[]): Promise<void> {
  await ddb().send(new TransactWriteCommand({ TransactItems: [...items.map((Item) => ({ Put: { TableName: table(), Item } })), ...also] }));
}

export async function saveHousehold(after: Household, expectedVersion: number, also: TransactItem[] = []): Promise<boolean> {
  return writeIf(() =>
    ddb().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table(), Item: householdItem(after), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } } },
          ...also,
        ],
      }),
    ),
  );
}

/** A grid's households, by colour when given (one Query a page); a tag filters within the page. */
export async function listGridHouseholds(gridId: string, colour: string | undefined, tag: string | undefined, limit: number, cursor?: string) {
  const byColour = colour !== undefined;
  const out = await ddb().send(
    new QueryCommand({
      TableName: table(),
      IndexName: byColour ? 'byScope' : 'byFeed',
      KeyConditionExpression: `${byColour ? 'scopePk' : 'feedPk'} = :pk`,
      ...(tag ? { FilterExpression: 'contains(tags, :tag)' } : {}),
      ExpressionAttributeValues: {
        ':pk': byColour ? keys.householdByColourPartition(gridId, colour) : keys.householdInGridPartition(gridId),
        ...(tag ? { ':tag': tag } : {}),
      },
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  return { items: (out.Items ?? []).map((i) => fromItem<Household>(i)), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

/** Household ids and addresses of one colour in a grid, all pages (for the visit plan). */
export async function householdsOfColour(gridId: string, colour: string): Promise<{ householdId: string; address: string; communityId: string }[]> {
  const all: { householdId: string; address: string; communityId: string }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'byScope',
        KeyConditionExpression: 'scopePk = :pk',
        ExpressionAttributeValues: { ':pk': keys.householdByColourPartition(gridId, colour) },
        ProjectionExpression: 'householdId, address, communityId',
        ExclusiveStartKey: start,
      }),
    );
    all.push(...((out.Items ?? []) as { householdId: string; address: string; communityId: string }[]));
    start = out.LastEvaluatedKey;
  } while (start);
  return all;
}

function visitItem(v: Visit): Record<string, unknown> {
  return { ...keys.visit(v.visitId), ...(v.status === 'open' ? keys.openVisitOf(v.workerId, v.dueDate, v.visitId) : {}), type: 'Visit', ...v };
}

/** Which of these visit tasks exist already (BatchGetItem, 100 a call). */
export async function existingVisitIds(visitIds: readonly string[]): Promise<Set<string>> {
  const found = await batchGet(visitIds.map((id) => keys.visit(id)), { consistent: true });
  return new Set([...found.values()].map((item) => item.visitId as string));
}

/**
 * Creates visit tasks (at most 99) with what they add to the figures, in one transaction, each
 * on condition it does not exist: false when one appeared meanwhile (a second plan run), and
 * nothing was written.
 */
export async function createVisits(visits: readonly Visit[], also: TransactItem[]): Promise<boolean> {
  return writeIf(() =>
    ddb().send(
      new TransactWriteCommand({
        TransactItems: [...visits.map((v) => ({ Put: { TableName: table(), Item: visitItem(v), ConditionExpression: 'attribute_not_exists(pk)' } })), ...also],
      }),
    ),
  );
}

export async function getVisit(visitId: string): Promise<Visit | null> {
  const out = await ddb().send(new GetCommand({ TableName: table(), Key: keys.visit(visitId), ConsistentRead: true }));
  return out.Item ? fromItem<Visit>(out.Item) : null;
}

/** Records the log and takes the task out of the worker's open list, once. */
export async function completeVisit(done: Visit, also: TransactItem[] = []): Promise<boolean> {
  return writeIf(() =>
    ddb().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table(), Item: visitItem(done), ConditionExpression: '#s = :open', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':open': 'open' } } },
          ...also,
        ],
      }),
    ),
  );
}

export async function listOpenVisits(workerId: string, limit: number, cursor?: string) {
  const out = await ddb().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byOwner',
      KeyConditionExpression: 'ownerPk = :pk',
      ExpressionAttributeValues: { ':pk': keys.openVisitPartition(workerId) },
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  return { items: (out.Items ?? []).map((i) => fromItem<Visit>(i)), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

export function householdPut(after: Household, expectedVersion: number): TransactItem {
  return { Put: { TableName: table(), Item: householdItem(after), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } } };
}

/** A household with its colour history, newest change first: one Query of its partition. */
export async function getHouseholdWithHistory(householdId: string): Promise<{ household: Household; history: { from: string | null; to: string; reason: string; by: string; at: string }[] } | null> {
  const items = await queryPartition(keys.household(householdId).pk);
  const meta = items.find((i) => i.sk === 'META');
  if (!meta) return null;
  const history = items
    .filter((i) => String(i.sk).startsWith(keys.householdColourChangePrefix))
    .map((i) => ({ from: (i.from as string | null) ?? null, to: i.to as string, reason: i.reason as string, by: i.by as string, at: i.at as string }))
    .sort((a, b) => b.at.localeCompare(a.at));
  return { household: fromItem<Household>(meta), history };
}
