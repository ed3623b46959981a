import { GetObjectCommand, HeadObjectCommand, NoSuchKey } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { ulid } from 'ulid';

import type { Principal } from '../auth/principal';
import { ddb, s3 } from '../aws';
import { config } from '../config';
import { queryPartition } from '../db/batch';
import { type TransactItem, writeIf } from '../db/conditions';
import { keys } from '../db/keys';
import { buildUpdate } from '../db/update';
import { ConflictError, type ErrorDetail, NotFoundError } from '../errors';
import { logger } from '../logger';
import { flushOutbox, newOutboxEntry, outboxPut } from '../queue/messages';
import { photoBucket } from '../resources';
import { checkRoster, type ImportChunk, planRoster, writeRoster } from './import';
import type { ImportStatus } from './model';

/**
 * A roster import as a job, for a sub-district's file (20,000 households, past API Gateway's 29 s):
 *
 * 1. `POST /v1/imports` answers at once with a presigned POST: the browser sends the CSV straight
 *    to the private bucket (imports/<userId>/<importId>.csv, ≤ 30 MB, 10 minutes).
 * 2. `POST /v1/imports/{id}/start` finds the file and queues the job (202).
 * 3. The imports consumer checks every row first — any fault and nothing is written, the job ends
 *    `failed` with the faults' line numbers — then writes the households that changed, each
 *    chunk of one grid's households with its figures and a progress marker in one transaction.
 * 4. `GET /v1/imports/{id}` reads the job and its markers in one Query: rows checked, households
 *    written of those to write, created / updated / unchanged, errors, finished.
 *
 * All-or-nothing, as readers see it: nothing is written until the whole file has passed, and a
 * household is never half written (its members, colour history and figures commit together).
 * While the job writes (about a minute for 20,000 households) a reader may see some households
 * already new and others not yet; a worker that dies part-way is resumed by the queue's
 * redelivery, which skips every household already written (its content hash matches) and so
 * finishes the same file. A roster version switched at the end would hide that minute, at the
 * cost of a second read on every household read for the life of the system; not worth it.
 */

interface ImportItem {
  importId: string;
  ownerId: string;
  /** The importer as they were when asking: the rows are checked against their scope then. */
  principal: Principal;
  fileName: string;
  objectKey: string;
  status: ImportStatus;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  rows?: number;
  households?: number;
  toWrite?: number;
  /** Set when done (while writing, the chunks' markers say). */
  written?: number;
  created?: number;
  updated?: number;
  unchanged?: number;
  errorCount?: number;
  errors?: ErrorDetail[];
  message?: string;
}

interface ChunkMarker {
  households: number;
  created: number;
  updated: number;
}

const table = () => config().TABLE_NAME;
const bucket = () => config().PHOTO_BUCKET;
const expiry = (now: Date) => Math.floor(now.getTime() / 1000) + photoBucket.importDays * 86_400;

function view(job: ImportItem, chunks: ChunkMarker[]) {
  const sum = (k: keyof ChunkMarker) => chunks.reduce((n, c) => n + c[k], 0);
  const written = job.written ?? sum('households');
  return {
    importId: job.importId,
    fileName: job.fileName,
    status: job.status,
    createdAt: job.createdAt,
    startedAt: job.startedAt ?? null,
    finishedAt: job.finishedAt ?? null,
    rows: job.rows ?? null,
    households: job.households ?? null,
    toWrite: job.toWrite ?? null,
    written,
    created: job.created ?? sum('created'),
    updated: job.updated ?? sum('updated'),
    unchanged: job.unchanged ?? null,
    errorCount: job.errorCount ?? 0,
    errors: job.errors ?? [],
    message: job.message ?? null,
  };
}

export async function createRosterImport(p: Principal, fileName: string, now = new Date()) {
  const importId = ulid(now.getTime());
  const objectKey = `${photoBucket.importPrefix}${p.userId}/${importId}.csv`;
  const job: ImportItem = { importId, ownerId: p.userId, principal: p, fileName, objectKey, status: 'awaiting_upload', createdAt: now.toISOString() };
  const post = await createPresignedPost(s3(), {
    Bucket: bucket(),
    Key: objectKey,
    Conditions: [['content-length-range', 1, photoBucket.importMaxBytes]],
    Expires: photoBucket.uploadUrlSeconds,
  });
  await ddb().send(
    new PutCommand({ TableName: table(), Item: { ...keys.rosterImport(importId), ...keys.rosterImportByOwner(p.userId, job.createdAt, importId), type: 'RosterImport', ...job, expiresAt: expiry(now) } }),
  );
  return {
    ...view(job, []),
    upload: { url: post.url, fields: post.fields, maxBytes: photoBucket.importMaxBytes, expiresAt: new Date(now.getTime() + photoBucket.uploadUrlSeconds * 1000).toISOString() },
  };
}

async function getJob(importId: string): Promise<ImportItem | null> {
  const out = await ddb().send(new GetCommand({ TableName: table(), Key: keys.rosterImport(importId), ConsistentRead: true }));
  return (out.Item as ImportItem | undefined) ?? null;
}

/** The job and its chunk markers: one Query of its partition. */
async function readJob(importId: string): Promise<{ job: ImportItem; chunks: ChunkMarker[] } | null> {
  const items = await queryPartition(keys.rosterImportPartition(importId), { consistent: true });
  const job = items.find((i) => i.sk === keys.rosterImport(importId).sk) as ImportItem | undefined;
  if (!job) return null;
  return { job, chunks: items.filter((i) => String(i.sk).startsWith(keys.rosterImportChunkPrefix)) as unknown as ChunkMarker[] };
}

const notFound = () => new NotFoundError('IMPORT_NOT_FOUND', '没有找到这个导入任务，可能已过期（保留七天）');

export async function readRosterImport(p: Principal, importId: string) {
  const found = await readJob(importId);
  // Another person's import does not exist for the caller.
  if (!found || found.job.ownerId !== p.userId) throw notFound();
  return view(found.job, found.chunks);
}

/** The caller's last 20 imports, newest first (a job's progress markers are read with the job alone). */
export async function listMyRosterImports(p: Principal) {
  const out = await ddb().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byOwner',
      KeyConditionExpression: 'ownerPk = :pk',
      ExpressionAttributeValues: { ':pk': keys.rosterImportByOwnerPartition(p.userId) },
      ScanIndexForward: false,
      Limit: 20,
    }),
  );
  return { items: ((out.Items ?? []) as ImportItem[]).map((job) => {
    const { errors: _errors, ...rest } = view(job, []);
    return rest;
  }) };
}

/** Whether the file arrived. S3 answers 404 when the caller may list the prefix, 403 when not. */
async function uploaded(objectKey: string): Promise<boolean> {
  try {
    await s3().send(new HeadObjectCommand({ Bucket: bucket(), Key: objectKey }));
    return true;
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || status === 403) return false;
    throw err;
  }
}

/** Queues an uploaded import (with its outbox entry, so a lost send is sent by the reconcile schedule). */
export async function startRosterImport(p: Principal, importId: string) {
  const job = await getJob(importId);
  if (!job || job.ownerId !== p.userId) throw notFound();
  if (job.status !== 'awaiting_upload') return readRosterImport(p, importId);
  if (!(await uploaded(job.objectKey))) throw new ConflictError('IMPORT_NOT_UPLOADED', '文件还没有上传成功，请重新选择文件上传');
  const entry = newOutboxEntry({ queue: 'imports', body: { importId } });
  const queued = await writeIf(() =>
    ddb().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table(),
              Key: keys.rosterImport(importId),
              ...buildUpdate({ set: { status: 'queued' }, names: { '#s': 'status' }, values: { ':waiting': 'awaiting_upload' } }),
              ConditionExpression: '#s = :waiting',
            },
          },
          outboxPut(entry),
        ],
      }),
    ),
  );
  // Two clicks at once: the second finds it queued and answers the job as it stands.
  if (queued) await flushOutbox([entry]);
  return readRosterImport(p, importId);
}

/** Moves the job on; false when it is not in one of `from` (another delivery finished it). */
async function advance(importId: string, from: readonly ImportStatus[], set: Partial<ImportItem>): Promise<boolean> {
  const values = Object.fromEntries(from.map((s, i) => [`:from${i}`, s]));
  return writeIf(() =>
    ddb().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.rosterImport(importId),
        ...buildUpdate({ set, names: { '#s': 'status' }, values }),
        ConditionExpression: `#s IN (${Object.keys(values).join(', ')})`,
      }),
    ),
  );
}

/** The file's text: UTF-8 (with or without BOM), or GB18030 as Excel saves a CSV on a Chinese Windows. */
export function decodeRoster(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function markerPut(importId: string, chunk: ImportChunk, now: Date): TransactItem {
  const marker: ChunkMarker = { households: chunk.created + chunk.updated, created: chunk.created, updated: chunk.updated };
  return { Put: { TableName: table(), Item: { ...keys.rosterImportChunk(importId, chunk.firstHouseholdId), type: 'RosterImportChunk', ...marker, expiresAt: expiry(now) } } };
}

/**
 * The imports consumer: checks, then writes, then finishes the job. A redelivery after a crash
 * finds the job checking or writing and runs it again: the check is the same, and the plan skips
 * every household the first run wrote; a job already finished is left alone.
 */
export async function runRosterImport(importId: string, now = new Date()): Promise<'done' | 'failed' | 'skipped'> {
  const job = await getJob(importId);
  if (!job || !['queued', 'checking', 'writing'].includes(job.status)) return 'skipped';
  if (!(await advance(importId, ['queued', 'checking', 'writing'], { status: 'checking', startedAt: job.startedAt ?? now.toISOString() }))) return 'skipped';

  let bytes: Uint8Array;
  try {
    const object = await s3().send(new GetObjectCommand({ Bucket: bucket(), Key: job.objectKey }));
    bytes = await object.Body!.transformToByteArray();
  } catch (err) {
    // The file is gone (kept seven days): no redelivery will find it — said once, as the job's end.
    if (!(err instanceof NoSuchKey || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)) throw err;
    await advance(importId, ['checking'], { status: 'failed', finishedAt: new Date().toISOString(), errorCount: 0, errors: [], message: '找不到上传的文件（文件保留七天），请重新选择文件上传' });
    return 'failed';
  }
  const csv = decodeRoster(bytes);
  const check = await checkRoster(job.principal, csv);
  if (!check.ok) {
    await advance(importId, ['checking'], { status: 'failed', finishedAt: new Date().toISOString(), errorCount: check.errorCount, errors: check.errors, message: check.message });
    logger.info('roster import refused', { importId, errorCount: check.errorCount });
    return 'failed';
  }
  // One item of each chunk's transaction is its progress marker.
  const plan = await planRoster(job.principal, check.roster, now, 1);
  const before = (await readJob(importId))!.chunks;
  const writtenBefore = before.reduce((n, c) => n + c.households, 0);
  const households = plan.result.households;
  await advance(importId, ['checking'], { status: 'writing', rows: plan.result.members, households, toWrite: writtenBefore + plan.result.created + plan.result.updated });
  await writeRoster(plan, now, (chunk) => [markerPut(importId, chunk, now)]);

  const { chunks } = (await readJob(importId))!;
  const created = chunks.reduce((n, c) => n + c.created, 0);
  const updated = chunks.reduce((n, c) => n + c.updated, 0);
  const message = `导入完成：共 ${households} 户、${plan.result.members} 人；新增 ${created} 户，更新 ${updated} 户，${households - created - updated} 户没有变化`;
  await advance(importId, ['writing'], { status: 'done', finishedAt: new Date().toISOString(), written: created + updated, created, updated, unchanged: households - created - updated, message });
  logger.info('roster import done', { importId, households, created, updated });
  return 'done';
}
