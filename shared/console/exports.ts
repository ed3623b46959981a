import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ulid } from 'ulid';

import type { Principal } from '../auth/principal';
import { ddb, s3 } from '../aws';
import { config } from '../config';
import { keys } from '../db/keys';
import { buildUpdate } from '../db/update';
import { AppError, ForbiddenError, NotFoundError } from '../errors';
import { householdView } from '../households/model';
import { listGridHouseholds } from '../households/repository';
import { getOrgTree } from '../org/repository';
import { flushOutbox, newOutboxEntry, outboxPut } from '../queue/messages';
import { photoBucket } from '../resources';
import { beijingDate } from '../time';
import { toCsv } from './csv';
import { gridTiles, openRequests, resolveScope } from './figures';
import { gridTable, householdTable, requestTable } from './tables';

/**
 * Large exports (a sub-district's 20,000 households) are asynchronous: POST /v1/exports answers
 * 202 with where to look; the exports consumer builds the CSV off the request path with the
 * requester's own scope and puts it in the private bucket; GET /v1/exports/{id} then gives a
 * 5-minute link. Only the person who asked can read an export.
 */
export const exportKinds = ['requests', 'grids', 'households'] as const;
export type ExportKind = (typeof exportKinds)[number];
const kindNames: Record<ExportKind, string> = { requests: '诉求', grids: '网格', households: '住户' };

interface ExportItem {
  exportId: string;
  ownerId: string;
  /** The requester as they were when asking: the export shows what they could see then. */
  principal: Principal;
  kind: ExportKind;
  scope: string;
  scopeName: string;
  status: 'pending' | 'ready' | 'failed';
  /** Why it could not be built (the caller's scope changed meanwhile): said to the caller. */
  error?: string;
  createdAt: string;
  readyAt?: string;
  rows?: number;
  objectKey?: string;
  fileName?: string;
}

const expiry = (now: Date) => Math.floor(now.getTime() / 1000) + photoBucket.exportDays * 86_400;

export async function requestExport(p: Principal, kind: ExportKind, scopeText: string | undefined, now = new Date()) {
  // Checked now, so that a caller learns at once that the scope is not theirs.
  const scope = resolveScope(p, scopeText, await getOrgTree());
  if (kind === 'grids' && scope.kind === 'grid') throw new ForbiddenError('SCOPE_TOO_NARROW', '网格表需要社区或街道范围');
  const scopeKey = scope.kind === 'street' ? 'street' : `${scope.kind}:${scope.id}`;
  const exportId = ulid(now.getTime());
  const item: ExportItem = { exportId, ownerId: p.userId, principal: p, kind, scope: scopeKey, scopeName: scope.name, status: 'pending', createdAt: now.toISOString() };
  const entry = newOutboxEntry({ queue: 'exports', body: { exportId } });
  await ddb().send(
    new TransactWriteCommand({
      TransactItems: [{ Put: { TableName: config().TABLE_NAME, Item: { ...keys.consoleExport(exportId), type: 'Export', ...item, expiresAt: expiry(now) } } }, outboxPut(entry)],
    }),
  );
  await flushOutbox([entry]);
  return view(item);
}

function view(e: ExportItem, downloadUrl?: string) {
  return {
    exportId: e.exportId,
    kind: e.kind,
    scope: e.scope,
    status: e.status,
    createdAt: e.createdAt,
    readyAt: e.readyAt ?? null,
    rows: e.rows ?? null,
    fileName: e.fileName ?? null,
    error: e.error ?? null,
    downloadUrl: downloadUrl ?? null,
  };
}

async function getExport(exportId: string): Promise<ExportItem | null> {
  const out = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.consoleExport(exportId), ConsistentRead: true }));
  return (out.Item as ExportItem | undefined) ?? null;
}

export async function readExport(p: Principal, exportId: string) {
  const e = await getExport(exportId);
  // Another person's export does not exist for the caller.
  if (!e || e.ownerId !== p.userId) throw new NotFoundError('EXPORT_NOT_FOUND', '没有找到这个导出任务，可能已过期（保留一天）');
  if (e.status !== 'ready') return view(e);
  const url = await getSignedUrl(
    s3(),
    new GetObjectCommand({ Bucket: config().PHOTO_BUCKET, Key: e.objectKey!, ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(e.fileName!)}` }),
    { expiresIn: photoBucket.exportUrlSeconds },
  );
  return view(e, url);
}

async function rowsOf(e: ExportItem, now: Date): Promise<{ headers: readonly string[]; rows: (string | number | null | undefined)[][] }> {
  if (e.kind === 'requests') {
    const board = await openRequests(e.principal, e.scope, now);
    return { headers: requestTable.headers, rows: board.items.map(requestTable.row) };
  }
  if (e.kind === 'grids') {
    const tiles = await gridTiles(e.principal, e.scope, now);
    return { headers: gridTable.headers, rows: tiles.communities.flatMap((c) => c.grids.map((g) => gridTable.row({ ...g, communityName: c.name }))) };
  }
  const tree = await getOrgTree();
  const scope = resolveScope(e.principal, e.scope, tree);
  const gridIds = tree.communities
    .filter((c) => scope.kind === 'street' || (scope.kind === 'community' ? c.communityId === scope.id : c.communityId === scope.communityId))
    .flatMap((c) => c.grids.map((g) => g.gridId))
    .filter((g) => scope.kind !== 'grid' || g === scope.id);
  const rows: (string | number | null | undefined)[][] = [];
  for (const gridId of gridIds) {
    let cursor: string | undefined;
    do {
      const page = await listGridHouseholds(gridId, undefined, undefined, 500, cursor);
      rows.push(...page.items.map((h) => householdTable.row(householdView(h))));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return { headers: householdTable.headers, rows };
}

/** The exports consumer: builds the file once (a redelivery finds it ready and does nothing). */
export async function buildExport(exportId: string, now = new Date()): Promise<'built' | 'already_built' | 'gone'> {
  const e = await getExport(exportId);
  if (!e) return 'gone';
  if (e.status !== 'pending') return 'already_built';
  let table: Awaited<ReturnType<typeof rowsOf>>;
  try {
    table = await rowsOf(e, now);
  } catch (err) {
    // A refusal (the requester lost the scope meanwhile) will not change on a retry: say so, once.
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    await finish(exportId, { status: 'failed', error: err.message });
    return 'gone';
  }
  const { headers, rows } = table;
  const fileName = `${kindNames[e.kind]}-${e.scopeName}-${beijingDate(now)}.csv`;
  const objectKey = `${photoBucket.exportPrefix}${e.ownerId}/${exportId}.csv`;
  await s3().send(new PutObjectCommand({ Bucket: config().PHOTO_BUCKET, Key: objectKey, Body: toCsv(headers, rows), ContentType: 'text/csv; charset=utf-8' }));
  return (await finish(exportId, { status: 'ready', readyAt: now.toISOString(), rows: rows.length, objectKey, fileName })) ? 'built' : 'already_built';
}

/** Moves a pending export to its end state; false when another delivery got there first. */
async function finish(exportId: string, set: Partial<ExportItem>): Promise<boolean> {
  try {
    await ddb().send(
      new UpdateCommand({
        TableName: config().TABLE_NAME,
        Key: keys.consoleExport(exportId),
        ...buildUpdate({ set, names: { '#s': 'status' }, values: { ':pending': 'pending' } }),
        ConditionExpression: '#s = :pending',
      }),
    );
    return true;
  } catch (err) {
    if ((err as Error).name === 'ConditionalCheckFailedException') return false;
    throw err;
  }
}
