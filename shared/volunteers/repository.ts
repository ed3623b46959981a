import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand,UpdateCommand } from '@aws-sdk/lib-dynamodb';

import { ddb } from '../aws';
import { config } from '../config';
import { isConditionFailure, retryConflicts, type TransactItem, writeIf } from '../db/conditions';
import { fromItem } from '../db/items';
import { decodeCursor, encodeCursor, keys } from '../db/keys';
import { InvalidCursorError } from '../errors';
import type { Activity, Signup } from './model';



const table = () => config().TABLE_NAME;

export async function getTeam(teamId: string): Promise<{ teamId: string; name: string } | null> {
  const out = await ddb().send(new GetCommand({ TableName: table(), Key: keys.team(teamId) }));
  return out.Item ? { teamId, name: out.Item.name as string } : null;
}

export async function createActivity(a: Activity): Promise<void> {
  await ddb().send(
    new PutCommand({
      TableName: table(),
      Item: {
        ...keys.activity(a.activityId),
        ...keys.activityFeed(a.startAt, a.activityId),
        ...keys.activityByTeam(a.teamId, a.startAt, a.activityId),
        ...keys.activityByType(a.activityType, a.startAt, a.activityId),
        type: 'Activity',
        ...a,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getActivity(activityId: string, consistent = false): Promise<Activity | null> {
  const out = await ddb().send(new GetCommand({ TableName: table(), Key: keys.activity(activityId), ConsistentRead: consistent }));
  return out.Item ? fromItem<Activity>(out.Item) : null;
}

/** The activity and the caller's own sign-up in one round trip. */
export async function getActivityAndSignup(activityId: string, userId: string): Promise<{ activity: Activity | null; signup: Signup | null }> {
  const out = await ddb().send(new BatchGetCommand({ RequestItems: { [table()]: { Keys: [keys.activity(activityId), keys.signup(activityId, userId)] } } }));
  const items = out.Responses?.[table()] ?? [];
  const activity = items.find((i) => i.sk === 'META');
  const signup = items.find((i) => i.sk !== 'META');
  return { activity: activity ? fromItem<Activity>(activity) : null, signup: signup ? fromItem<Signup>(signup) : null };
}

export async function getSignup(activityId: string, userId: string): Promise<Signup | null> {
  const out = await ddb().send(new GetCommand({ TableName: table(), Key: keys.signup(activityId, userId), ConsistentRead: true }));
  return out.Item ? fromItem<Signup>(out.Item) : null;
}

function signupItem(s: Signup): Record<string, unknown> {
  return {
    ...keys.signup(s.activityId, s.userId),
    ...keys.signupByVolunteer(s.userId, s.startAt, s.activityId),
    ...(s.status === 'offered' && s.confirmBy ? keys.seatOffer(s.confirmBy, s.activityId, s.userId) : {}),
    type: 'Signup',
    ...s,
  };
}

export async function putSignup(s: Signup): Promise<void> {
  await ddb().send(new PutCommand({ TableName: table(), Item: signupItem(s) }));
}

export type SeatResult = { ok: true; value?: number } | { ok: false };

/** A conditional update of an activity's seats, as a transaction item or on its own. */
export interface SeatUpdate {
  TableName: string;
  Key: Record<string, string>;
  UpdateExpression: string;
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

function seatUpdate(activityId: string, update: string, condition: string, names: Record<string, string>, values: Record<string, unknown>): SeatUpdate {
  return { TableName: table(), Key: keys.activity(activityId), UpdateExpression: update, ConditionExpression: condition, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

/**
 * A seat change and the sign-up record it implies (and whatever goes with it: the outbox entry
 * that tells someone), in one transaction: both or neither. False when the seat's condition
 * refused it (nothing written).
 */
export async function commitSeatChange(update: SeatUpdate, s: Signup, also: TransactItem[] = []): Promise<boolean> {
  return writeIf(() => ddb().send(new TransactWriteCommand({ TransactItems: [{ Update: update }, { Put: { TableName: table(), Item: signupItem(s) } }, ...also] })));
}

async function conditionalUpdate(
  activityId: string,
  update: string,
  condition: string,
  names: Record<string, string>,
  values: Record<string, unknown>,
  returnSeq = false,
): Promise<SeatResult> {
  try {
    const out = await ddb().send(new UpdateCommand({ ...seatUpdate(activityId, update, condition, names, values), ReturnValues: returnSeq ? 'UPDATED_NEW' : 'NONE' }));
    return { ok: true, value: returnSeq ? (out.Attributes?.waitSeq as number) : undefined };
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    // Not ALL_OLD: the item carries every seat holder and waiter, and a popular activity's
    // thousand refusals would each ship all of it back. The caller asks for what it needs.
    return { ok: false };
  }
}

export interface SeatState {
  status: Activity['status'];
  signupDeadline: string;
  confirmed: number;
  capacity: number;
  isMember: boolean;
  isWaiting: boolean;
  /** This user's place on the waitlist, when waiting. */
  waitPosition?: number;
}

/** Why a seat update was refused: the activity's small fields and this user's entries only. */
export async function seatState(activityId: string, userId: string): Promise<SeatState | null> {
  const out = await ddb().send(
    new GetCommand({
      TableName: table(),
      Key: keys.activity(activityId),
      ConsistentRead: true,
      ProjectionExpression: '#s, signupDeadline, confirmed, #cap, members.#u, waitPos.#u',
      ExpressionAttributeNames: { '#s': 'status', '#cap': 'capacity', '#u': userId },
    }),
  );
  const i = out.Item;
  if (!i) return null;
  return {
    status: i.status as Activity['status'],
    signupDeadline: i.signupDeadline as string,
    confirmed: i.confirmed as number,
    capacity: i.capacity as number,
    isMember: !!(i.members as Record<string, unknown> | undefined)?.[userId],
    isWaiting: (i.waitPos as Record<string, unknown> | undefined)?.[userId] !== undefined,
    ...((i.waitPos as Record<string, number> | undefined)?.[userId] !== undefined ? { waitPosition: (i.waitPos as Record<string, number>)[userId] } : {}),
  };
}

/** The fields of an activity that never change after creation, for building sign-up records. */
export async function activityHeader(activityId: string): Promise<Pick<Activity, 'activityId' | 'title' | 'activityType' | 'teamId' | 'startAt' | 'endAt'> | null> {
  const out = await ddb().send(
    new GetCommand({
      TableName: table(),
      Key: keys.activity(activityId),
      ProjectionExpression: 'activityId, title, activityType, teamId, startAt, endAt',
    }),
  );
  return (out.Item as Pick<Activity, 'activityId' | 'title' | 'activityType' | 'teamId' | 'startAt' | 'endAt'> | undefined) ?? null;
}

const notSignedUp = 'attribute_not_exists(members.#u) AND attribute_not_exists(waitPos.#u)';
const open = '#status = :open AND signupDeadline > :now';

/**
 * Takes a seat if one is left, without writing its record: what a crash left before sign-up became
 * one transaction (takeSeatRecorded); the repair test recreates that state with it.
 */
export function takeSeat(activityId: string, userId: string, now: string) {
  const u = seatTaken(activityId, userId, now);
  return conditionalUpdate(activityId, u.UpdateExpression, u.ConditionExpression, u.ExpressionAttributeNames, u.ExpressionAttributeValues);
}

/** A seat taken, if one is left, sign-up is open and the person holds neither a seat nor a place in line. */
function seatTaken(activityId: string, userId: string, now: string): SeatUpdate {
  return seatUpdate(
    activityId,
    'SET confirmed = confirmed + :one, members.#u = :now',
    `${open} AND confirmed < #cap AND ${notSignedUp}`,
    { '#u': userId, '#status': 'status', '#cap': 'capacity' },
    { ':one': 1, ':now': now, ':open': 'open' },
  );
}

/**
 * Takes a seat and writes the volunteer's sign-up record in one transaction: both or neither, so a
 * crash can no longer leave a seat without its record. Refused (false) when the seats are gone,
 * sign-up has closed, or the person already holds a seat or a place in line.
 */
export function takeSeatRecorded(s: Signup): Promise<boolean> {
  return commitSeatChangeRetried(seatTaken(s.activityId, s.userId, s.createdAt), s);
}

/**
 * Takes a place on the waitlist (the seats being gone) and writes the waiting record in one
 * transaction. The position is the sequence's next value — both sides of the SET read the
 * sequence as it was, so every waiter gets a distinct, consecutive one — but a transaction cannot
 * return it: the caller reads it back (waitPosition) to tell the volunteer.
 */
export function joinWaitlistRecorded(s: Signup): Promise<boolean> {
  return commitSeatChangeRetried(placeInLine(s.activityId, s.userId, s.createdAt), s);
}

/** commitSeatChange, run again when two transactions on the same activity collide (a refusal is an answer). */
function commitSeatChangeRetried(update: SeatUpdate, s: Signup): Promise<boolean> {
  return retryConflicts(() => commitSeatChange(update, s));
}

/** A place in line, if the seats are gone, sign-up is open and the person holds neither. */
function placeInLine(activityId: string, userId: string, now: string): SeatUpdate {
  return seatUpdate(
    activityId,
    'SET waitSeq = waitSeq + :one, waitPos.#u = waitSeq + :one',
    `${open} AND confirmed >= #cap AND ${notSignedUp}`,
    { '#u': userId, '#status': 'status', '#cap': 'capacity' },
    { ':one': 1, ':now': now, ':open': 'open' },
  );
}

/**
 * Takes a place in line without writing its record, answering the position: what a crash left
 * before joining the waitlist became one transaction; the repair test recreates that state with it.
 */
export function joinWaitlist(activityId: string, userId: string, now: string) {
  const u = placeInLine(activityId, userId, now);
  return conditionalUpdate(activityId, u.UpdateExpression, u.ConditionExpression, u.ExpressionAttributeNames, u.ExpressionAttributeValues, true);
}

/** This volunteer's place on the activity's waitlist (read after joining it), or null. */
export async function waitPosition(activityId: string, userId: string): Promise<number | null> {
  const out = await ddb().send(
    new GetCommand({ TableName: table(), Key: keys.activity(activityId), ConsistentRead: true, ProjectionExpression: 'waitPos.#u', ExpressionAttributeNames: { '#u': userId } }),
  );
  return ((out.Item?.waitPos as Record<string, number> | undefined)?.[userId] as number | undefined) ?? null;
}

/** Gives a seat back, if the person holds one. */
export function releaseSeat(activityId: string, userId: string): SeatUpdate {
  return seatUpdate(activityId, 'REMOVE members.#u SET confirmed = confirmed - :one', 'attribute_exists(members.#u)', { '#u': userId }, { ':one': 1 });
}

/** Leaves the waitlist, if the person is on it. */
export function leaveWaitlist(activityId: string, userId: string): SeatUpdate {
  return seatUpdate(activityId, 'REMOVE waitPos.#u', 'attribute_exists(waitPos.#u)', { '#u': userId }, {});
}

/** Moves a waiter into a free seat, if they are still waiting and a seat is still free. */
export function promote(activityId: string, userId: string, now: string): SeatUpdate {
  return seatUpdate(activityId, 'REMOVE waitPos.#u SET members.#u = :now, confirmed = confirmed + :one', 'attribute_exists(waitPos.#u) AND confirmed < #cap', { '#u': userId, '#cap': 'capacity' }, { ':now': now, ':one': 1 });
}

export async function setActivityStatus(activityId: string, status: Activity['status'], from: Activity['status'], also: TransactItem[] = []): Promise<boolean> {
  const update = {
    TableName: table(),
    Key: keys.activity(activityId),
    UpdateExpression: 'SET #s = :to',
    ConditionExpression: '#s = :from',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: { ':to': status, ':from': from },
  };
  return writeIf(() => (also.length ? ddb().send(new TransactWriteCommand({ TransactItems: [{ Update: update }, ...also] })) : ddb().send(new UpdateCommand(update))));
}

export type ActivityIndex = { index: 'byFeed'; pk: string } | { index: 'byScope'; pk: string } | { index: 'byLookup'; pk: string };

export async function listActivities(where: ActivityIndex, from: string, to: string | undefined, limit: number, cursor?: string) {
  const [pkName, skName] = { byFeed: ['feedPk', 'feedSk'], byScope: ['scopePk', 'scopeSk'], byLookup: ['lookupPk', 'lookupSk'] }[where.index] as [string, string];
  const start = decodeCursor(cursor);
  // "Upcoming" moves with the clock: a page's last activity may have started since, and DynamoDB
  // refuses a start key outside the range. The list has changed: the caller starts again.
  if (start && String(start[skName]) < from) throw new InvalidCursorError();
  const out = await ddb().send(
    new QueryCommand({
      TableName: table(),
      IndexName: where.index,
      KeyConditionExpression: to ? `${pkName} = :pk AND ${skName} BETWEEN :from AND :to` : `${pkName} = :pk AND ${skName} >= :from`,
      ExpressionAttributeValues: { ':pk': where.pk, ':from': from, ...(to ? { ':to': to } : {}) },
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );
  return { items: (out.Items ?? []).map((i) => fromItem<Activity>(i)), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

export async function listSignupsOfActivity(activityId: string): Promise<Signup[]> {
  const items: Signup[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':pk': keys.activityPartition(activityId), ':s': keys.signupSortPrefix },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []).map((i) => fromItem<Signup>(i)));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

export async function listSignupsOfVolunteer(userId: string, limit: number, cursor?: string) {
  const out = await ddb().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byOwner',
      KeyConditionExpression: 'ownerPk = :pk',
      ExpressionAttributeValues: { ':pk': keys.signupByVolunteerPartition(userId) },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  return { items: (out.Items ?? []).map((i) => fromItem<Signup>(i)), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

export async function listExpiredOffers(now: string): Promise<{ activityId: string; userId: string }[]> {
  const out = await ddb().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byLookup',
      KeyConditionExpression: 'lookupPk = :pk AND lookupSk < :now',
      ExpressionAttributeValues: { ':pk': keys.seatOfferPartition, ':now': now },
      Limit: 100,
    }),
  );
  return (out.Items ?? []).map((i) => ({ activityId: i.activityId as string, userId: i.userId as string }));
}

/** The volunteer's profile and their name (from the user record) in one round trip. */
export async function getVolunteerProfile(userId: string): Promise<{ name: string | null; totalMinutes: number; activities: number; skills: string[] }> {
  const out = await ddb().send(new BatchGetCommand({ RequestItems: { [table()]: { Keys: [keys.volunteer(userId), keys.user(userId)] } } }));
  const items = out.Responses?.[table()] ?? [];
  const profile = items.find((i) => i.pk === keys.volunteer(userId).pk);
  const user = items.find((i) => i.pk === keys.user(userId).pk);
  return {
    name: (user?.name as string | undefined) ?? null,
    totalMinutes: Number(profile?.totalMinutes ?? 0),
    activities: Number(profile?.activities ?? 0),
    skills: (profile?.skills ?? []) as string[],
  };
}

/**
 * Check-out and its service time in one transaction: the sign-up gets its check-out only if it has
 * none yet, and the volunteer's total grows with it — so a retried check-out after a crash can
 * neither lose the minutes (the old two writes: record first, total after) nor count them twice.
 * False when another check-out got there first.
 */
export async function recordCheckOut(after: Signup, minutes: number, also: TransactItem[] = []): Promise<boolean> {
  try {
    await ddb().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table(),
              Item: signupItem(after),
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(checkedOutAt)',
            },
          },
          {
            Update: {
              TableName: table(),
              Key: keys.volunteer(after.userId),
              UpdateExpression: 'ADD totalMinutes :m, activities :one SET userId = :u',
              ExpressionAttributeValues: { ':m': minutes, ':one': 1, ':u': after.userId },
            },
          },
          ...also,
        ],
      }),
    );
    return true;
  } catch (err) {
    if ((err as Error).name === 'TransactionCanceledException') return false;
    throw err;
  }
}
