import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

import { ddb } from '../aws';
import { config } from '../config';
import { keys } from '../db/keys';

/** The sub-district this deployment serves: the model town has one (its grids and communities hang below it). */
export const homeStreetId = 'S01';

export interface Grid {
  gridId: string;
  name: string;
  communityId: string;
  streetId: string;
  /** userId -> full_time | part_time */
  workers: Record<string, 'full_time' | 'part_time'>;
}

export interface Community {
  communityId: string;
  name: string;
  streetId: string;
}

/**
 * The organisation tree changes rarely (a grid is redrawn a few times a year), so grids are
 * cached per process for a short time: scope checks then cost no round trip when warm.
 */
const cacheMs = 60_000;
const gridCache = new Map<string, { at: number; grid: Grid | null }>();

export async function getGrid(gridId: string, opts: { fresh?: boolean } = {}): Promise<Grid | null> {
  const hit = gridCache.get(gridId);
  if (!opts.fresh && hit && Date.now() - hit.at < cacheMs) return hit.grid;
  const out = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.grid(gridId) }));
  const grid = out.Item
    ? {
        gridId: out.Item.id as string,
        name: out.Item.name as string,
        communityId: out.Item.communityId as string,
        streetId: out.Item.streetId as string,
        workers: (out.Item.workers ?? {}) as Grid['workers'],
      }
    : null;
  gridCache.set(gridId, { at: Date.now(), grid });
  return grid;
}

export async function getCommunity(communityId: string): Promise<Community | null> {
  const out = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.community(communityId) }));
  return out.Item ? { communityId: out.Item.id as string, name: out.Item.name as string, streetId: out.Item.streetId as string } : null;
}

export function forgetGrid(gridId: string): void {
  gridCache.delete(gridId);
}

export interface Street {
  streetId: string;
  name: string;
  /** Officers of the public legal service centre, who take legal-aid requests in turn. */
  legalOfficerIds: string[];
}

let streetCache: { at: number; street: Street | null; id: string } | undefined;

export async function getStreet(streetId: string): Promise<Street | null> {
  if (streetCache && streetCache.id === streetId && Date.now() - streetCache.at < cacheMs) return streetCache.street;
  const out = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.street(streetId) }));
  const street = out.Item
    ? { streetId, name: out.Item.name as string, legalOfficerIds: (out.Item.legalOfficerIds ?? []) as string[] }
    : null;
  streetCache = { at: Date.now(), street, id: streetId };
  return street;
}

/** Every grid id of the sub-district: one Query per community (the tree is small and cached). */
let gridIdCache: { at: number; ids: string[] } | undefined;
export async function listGridIds(streetId = homeStreetId): Promise<string[]> {
  if (gridIdCache && Date.now() - gridIdCache.at < cacheMs) return gridIdCache.ids;
  const q = (pk: string) =>
    ddb().send(new QueryCommand({ TableName: config().TABLE_NAME, IndexName: 'byScope', KeyConditionExpression: 'scopePk = :pk', ExpressionAttributeValues: { ':pk': pk } }));
  const communities = ((await q(keys.communitiesOfStreetPartition(streetId))).Items ?? []).map((i) => i.scopeSk as string);
  const ids: string[] = [];
  for (const c of communities) ids.push(...((await q(keys.gridsOfCommunityPartition(c))).Items ?? []).map((i) => i.scopeSk as string));
  gridIdCache = { at: Date.now(), ids: ids.sort() };
  return gridIdCache.ids;
}

export interface OrgTree {
  streetId: string;
  communities: (Community & { grids: Grid[] })[];
}

/** The whole tree with names and workers, for the console's grid map: 1 + one Query per community, cached. */
let treeCache: { at: number; tree: OrgTree } | undefined;
export async function getOrgTree(streetId = homeStreetId): Promise<OrgTree> {
  if (treeCache && treeCache.tree.streetId === streetId && Date.now() - treeCache.at < cacheMs) return treeCache.tree;
  const q = async (pk: string) => {
    const out = await ddb().send(new QueryCommand({ TableName: config().TABLE_NAME, IndexName: 'byScope', KeyConditionExpression: 'scopePk = :pk', ExpressionAttributeValues: { ':pk': pk } }));
    return out.Items ?? [];
  };
  const communityItems = await q(keys.communitiesOfStreetPartition(streetId));
  const communities = await Promise.all(
    communityItems.map(async (c) => ({
      communityId: c.id as string,
      name: c.name as string,
      streetId,
      grids: (await q(keys.gridsOfCommunityPartition(c.id as string)))
        .map((g) => ({ gridId: g.id as string, name: g.name as string, communityId: c.id as string, streetId, workers: (g.workers ?? {}) as Grid['workers'] }))
        .sort((a, b) => a.gridId.localeCompare(b.gridId)),
    })),
  );
  const tree = { streetId, communities: communities.sort((a, b) => a.communityId.localeCompare(b.communityId)) };
  treeCache = { at: Date.now(), tree };
  return tree;
}

export function forgetOrgTreeForTests(): void {
  treeCache = undefined;
  gridIdCache = undefined;
}
