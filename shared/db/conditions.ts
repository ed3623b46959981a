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

/**
 * Runs a transaction again when another transaction on the same items at the same moment
 * cancelled it (TransactionConflict: nobody's condition said no, they only collided), a few times
 * with a random pause; anything else — a refusal by a condition included — is the caller's.
 */
export async function retryConflicts<T>(transact: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transact();
    } catch (err) {
      const conflict = err instanceof TransactionCanceledException && (err.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict');
      if (!conflict || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * attempt));
    }
  }
}
