import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';

import { ddb } from '../aws';
import { config } from '../config';
import { keys } from '../db/keys';

/**
 * The audit trail: who did what to which record, when. Written for every role change (in the
 * change's own transaction), every read of a legal or dispute request or of a consultation booking, and every reveal of an
 * unmasked personal number. Append-only: items are only ever put, never updated.
 */
export interface AuditEntry {
  actorId: string;
  action: 'role.grant' | 'role.revoke' | 'pii.reveal' | 'request.read' | 'console.login' | 'consultation.read' | 'legal_aid.read' | 'mediation.read';
  targetType: 'user' | 'request' | 'household' | 'person' | 'consultation' | 'legal_aid' | 'mediation';
  targetId: string;
  detail?: Record<string, unknown>;
}

export function auditItem(entry: AuditEntry, at = new Date()): Record<string, unknown> {
  const id = ulid(at.getTime());
  const iso = at.toISOString();
  return {
    ...keys.audit(id),
    ...keys.auditByTarget(entry.targetType, entry.targetId, iso, id),
    ...keys.auditByActor(entry.actorId, iso, id),
    type: 'Audit',
    auditId: id,
    at: iso,
    ...entry,
  };
}

export function auditPut(entry: AuditEntry, at = new Date()) {
  return { Put: { TableName: config().TABLE_NAME, Item: auditItem(entry, at) } };
}

export async function writeAudit(entry: AuditEntry, at = new Date()): Promise<void> {
  await ddb().send(new PutCommand({ TableName: config().TABLE_NAME, Item: auditItem(entry, at) }));
}
