import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

/** One item of a TransactWriteItems: a Put, Update, Delete or ConditionCheck. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A write refused by its condition — or a transaction refused by one of its items' conditions. */
export function isConditionFailure(err: unknown): boolean {
  return (
    (err instanceof TransactionCanceledException && (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed')) ||
    (err as { name?: string }).name === 'ConditionalCheckFailedException'
  );
}

/**
 * Runs a conditional write: true when it was written, false when its condition said no (someone
 * else changed the item first, or it already exists). Any other failure is thrown.
 */
export async function writeIf(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}
