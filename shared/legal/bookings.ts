import { GetCommand } from '@aws-sdk/lib-dynamodb';

import { ddb } from '../aws';
import { config } from '../config';
import { keys } from '../db/keys';
import type { Booking } from './model';

/** One booking, read alone (kept apart from consultations.ts: the contact reveal needs only this). */
export async function getBooking(slotId: string, userId: string): Promise<Booking | null> {
  const out = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.legalBooking(slotId, userId), ConsistentRead: true }));
  return (out.Item as Booking | undefined) ?? null;
}
