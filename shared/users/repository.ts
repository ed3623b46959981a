import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

import type { Role } from '../auth/roles';
import { ddb } from '../aws';
import { config } from '../config';
import { batchGet, itemKey } from '../db/batch';
import type { TransactItem } from '../db/conditions';
import { writeIf } from '../db/conditions';
import { fromItem } from '../db/items';
import { keys } from '../db/keys';
import { buildUpdate } from '../db/update';
import type { SealedValue } from '../pii/crypto';
import type { User } from './model';


const strip = (item: Record<string, unknown>) => fromItem<User>(item);

export async function getUser(userId: string): Promise<User | null> {
  const out = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.user(userId) }));
  return out.Item ? strip(out.Item) : null;
}

/** Several users in one round trip (BatchGetItem, unprocessed keys retried), in the order asked. */
export async function getUsers(userIds: readonly string[]): Promise<User[]> {
  if (userIds.length === 0) return [];
  const found = await batchGet(userIds.map((id) => keys.user(id)));
  return userIds.flatMap((id) => {
    const item = found.get(itemKey(keys.user(id)));
    return item ? [strip(item)] : [];
  });
}

export async function getUserIdByOpenid(openid: string): Promise<string | null> {
  const out = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.openid(openid) }));
  return (out.Item?.userId as string | undefined) ?? null;
}


/**
 * Claims the openid and creates the user in one transaction. Returns null when another login
 * with the same openid won the race; the caller then reads the winner's user.
 */
export async function createUserForOpenid(user: User): Promise<User | null> {
  const table = config().TABLE_NAME;
  const created = await writeIf(() =>
    ddb().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: { ...keys.openid(user.openid), type: 'OpenId', userId: user.userId, createdAt: user.createdAt },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: table, Item: { ...keys.user(user.userId), type: 'User', ...user }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    ),
  );
  return created ? user : null;
}

export interface RoleChange {
  roles: Role[];
  set: Partial<Pick<User, 'gridId' | 'communityId' | 'streetId' | 'teamId' | 'workshopId' | 'workerType'>>;
  remove: string[];
}

/**
 * Writes a role change with an optimistic version check, together with whatever else must hold
 * with it (the audit record, the grid's worker list), in one transaction.
 */
export async function saveRoleChange(user: User, change: RoleChange, alsoWrite: TransactItem[], now: string): Promise<boolean> {
  const update = buildUpdate({
    set: { ...change.set, roles: change.roles, updatedAt: now },
    remove: change.remove.filter((k) => !(k in change.set)),
    expressions: ['#version = #version + :one'],
    names: { '#version': 'version' },
    values: { ':expected': user.version, ':one': 1 },
  });
  return writeIf(() =>
    ddb().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: config().TABLE_NAME,
              Key: keys.user(user.userId),
              ...update,
              ConditionExpression: '#version = :expected',
            },
          },
          ...alsoWrite,
        ],
      }),
    ),
  );
}

export function gridWorkerUpdate(gridId: string, userId: string, workerType: 'full_time' | 'part_time' | null): TransactItem {
  return {
    Update: {
      TableName: config().TABLE_NAME,
      Key: keys.grid(gridId),
      UpdateExpression: workerType ? 'SET workers.#u = :t' : 'REMOVE workers.#u',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#u': userId },
      ...(workerType ? { ExpressionAttributeValues: { ':t': workerType } } : {}),
    },
  };
}

export async function saveProfile(
  userId: string,
  patch: { name?: string; phone?: { sealed: SealedValue; masked: string; hash: string } },
  now: string,
): Promise<User> {
  const lookup = patch.phone ? keys.userByPhone(patch.phone.hash, userId) : null;
  const update = buildUpdate({
    set: {
      updatedAt: now,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.phone && lookup ? { phone: patch.phone.sealed, phoneMasked: patch.phone.masked, lookupPk: lookup.lookupPk, lookupSk: lookup.lookupSk } : {}),
    },
    expressions: ['#version = #version + :one'],
    names: { '#version': 'version' },
    values: { ':one': 1 },
  });
  const out = await ddb().send(
    new UpdateCommand({
      TableName: config().TABLE_NAME,
      Key: keys.user(userId),
      ...update,
      ConditionExpression: 'attribute_exists(pk)',
      ReturnValues: 'ALL_NEW',
    }),
  );
  return strip(out.Attributes!);
}

/** Users who registered this phone number (its keyed hash): the household members who use the app. */
export async function userIdsByPhoneHash(phoneHash: string): Promise<string[]> {
  const out = await ddb().send(
    new QueryCommand({
      TableName: config().TABLE_NAME,
      IndexName: 'byLookup',
      KeyConditionExpression: 'lookupPk = :pk',
      ExpressionAttributeValues: { ':pk': keys.userByPhone(phoneHash, '').lookupPk },
      ProjectionExpression: 'userId',
    }),
  );
  return (out.Items ?? []).map((i) => i.userId as string);
}
