import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

import { type AuditEntry, auditPut } from '../audit/audit';
import { ddb } from '../aws';
import { config } from '../config';
import { retryConflicts, type TransactItem, writeIf } from '../db/conditions';
import { ConflictError } from '../errors';
import { notificationMessage } from '../notifications/notify';
import { flushOutbox, newOutboxEntry, type OutboxEntry, outboxPut } from '../queue/messages';
import { type CounterDelta, counterDelta, deltaPuts, foldCounterDeltas, monthOf } from '../stats/counters';

/**
 * How the legal centre's case files change (legal-aid applications and mediation cases): one
 * TransactWriteItems per state change — the record at the version it was read (a second officer
 * clicking at the same moment gets a 409, not a lost write), the figures' delta, the notices'
 * outbox entries and, where it is a read that changes nothing else, the audit entry.
 */
const table = () => config().TABLE_NAME;

export interface CaseChange {
  /** The record's items, the first one conditioned on the version read (0: new). */
  items: Record<string, unknown>[];
  expectedVersion: number;
  /** Other items (Puts, Deletes) in the same transaction. */
  also?: TransactItem[];
  figures?: Record<string, number>;
  at: string;
  notices?: OutboxEntry[];
  audit?: AuditEntry;
}

/** The centre's figures of the month of `at` (one row: the centre is one). */
export function legalFigures(at: string, adds: Record<string, number>): CounterDelta | null {
  return counterDelta([{ domain: 'LEGAL', period: monthOf(at), dimension: 'ALL', value: 'all', adds }]);
}

export async function commitCaseChange(change: CaseChange, conflict = new ConflictError('CASE_CHANGED', '刚刚有人处理过这份材料，请刷新后再看')): Promise<void> {
  const [head, ...rest] = change.items;
  const delta = change.figures ? legalFigures(change.at, change.figures) : null;
  const notices = change.notices ?? [];
  const items: TransactItem[] = [
    {
      Put: {
        TableName: table(),
        Item: head!,
        ConditionExpression: change.expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
        ...(change.expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': change.expectedVersion } }),
      },
    },
    ...rest.map((Item) => ({ Put: { TableName: table(), Item } })),
    ...(change.also ?? []),
    ...deltaPuts(delta),
    ...notices.map(outboxPut),
    ...(change.audit ? [auditPut(change.audit, new Date(change.at))] : []),
  ];
  const ok = await retryConflicts(() => writeIf(() => ddb().send(new TransactWriteCommand({ TransactItems: items }))));
  if (!ok) throw conflict;
  await foldCounterDeltas([delta]);
  if (notices.length) await flushOutbox(notices);
}

/**
 * Runs a load → decide → commit step again when another change landed between its read and its
 * write (CASE_CHANGED): two parties confirming an agreement at the same moment both succeed, and
 * two officers deciding the same application at once get one decision and one plain "already
 * decided" — never "someone changed it, reload".
 */
export async function onFreshRead<T>(step: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await step();
    } catch (err) {
      if (!(err instanceof ConflictError && err.code === 'CASE_CHANGED') || i >= attempts) throw err;
    }
  }
}

/** A 法律服务进度 notice to a resident (我的消息 keeps it; WeChat delivers it when subscribed). */
export function caseNotice(userId: string, notificationId: string, type: string, status: string, page: string, at: string): OutboxEntry {
  return newOutboxEntry(notificationMessage({ notificationId, userId, template: 'legal_case', data: { type, status }, page, at }));
}
