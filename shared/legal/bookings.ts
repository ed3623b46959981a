import { GetCommand } from '@aws-sdk/lib-dynamodb';

import { ddb } from '../aws';
import { config } from '../config';
import type { TransactItem } from '../db/conditions';
import { keys } from '../db/keys';
import { ValidationError } from '../errors';
import { type Booking, type ConsultationOutcome, consultationOutcomeNames } from './model';

/** One booking, read alone (kept apart from consultations.ts: the contact reveal needs only this). */
export async function getBooking(slotId: string, userId: string): Promise<Booking | null> {
  const out = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.legalBooking(slotId, userId), ConsistentRead: true }));
  return (out.Item as Booking | undefined) ?? null;
}

/**
 * The consultation an application names (`fromSlotId`) must be the applicant's own, and the lawyer
 * must have recorded that it became this (转法律援助申请 / 转人民调解).
 */
export async function checkReferral(userId: string, slotId: string, outcome: Exclude<ConsultationOutcome, 'advice'>): Promise<void> {
  const b = await getBooking(slotId, userId);
  if (b?.outcome !== outcome) throw new ValidationError([{ field: 'body.fromSlotId', reason: 'not_referred', message: `这次咨询没有${consultationOutcomeNames[outcome]}` }]);
}

/** The consultation learns what it became (in the application's own transaction): 我的法律咨询 links to it. */
export function linkReferral(userId: string, slotId: string | undefined, linkedId: string): TransactItem[] {
  if (!slotId) return [];
  return [{ Update: { TableName: config().TABLE_NAME, Key: keys.legalBooking(slotId, userId), UpdateExpression: 'SET linkedRequestId = :id', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':id': linkedId } } }];
}
