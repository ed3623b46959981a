import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';

import { isConditionFailure, retryConflicts, writeIf } from '../../shared/db/conditions';
import { rosterPlace } from '../../shared/households/roster-columns';

const cancelled = (code: string) => new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: code }] });

describe('retryConflicts', () => {
  it('runs a transaction again after a collision, and answers what the run that got through answered', async () => {
    let calls = 0;
    const out = await retryConflicts(async () => {
      calls++;
      if (calls < 3) throw cancelled('TransactionConflict');
      return 'written';
    });
    expect([out, calls]).toEqual(['written', 3]);
  });

  it('gives up after its attempts, with the collision', async () => {
    let calls = 0;
    await expect(retryConflicts(async () => { calls++; throw cancelled('TransactionConflict'); }, 3)).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(calls).toBe(3);
  });

  it('does not retry a refusal by a condition: through writeIf it is the answer false, once', async () => {
    let calls = 0;
    const out = await retryConflicts(() => writeIf(async () => { calls++; throw cancelled('ConditionalCheckFailed'); }));
    expect([out, calls]).toEqual([false, 1]);
    expect(isConditionFailure(cancelled('ConditionalCheckFailed'))).toBe(true);
    expect(isConditionFailure(cancelled('TransactionConflict'))).toBe(false);
  });

  it('does not retry anything else', async () => {
    let calls = 0;
    await expect(retryConflicts(async () => { calls++; throw new Error('network'); })).rejects.toThrow('network');
    expect(calls).toBe(1);
  });
});

describe('rosterPlace', () => {
  it('says where a roster fault is as staff read it', () => {
    expect(rosterPlace('line 12.id_number')).toBe('第 12 行 · 身份证号码');
    expect(rosterPlace('line 1.grid_id')).toBe('第 1 行 · 网格编号');
    expect(rosterPlace('line 7')).toBe('第 7 行');
    expect(rosterPlace('line ?')).toBe('文件');
    expect(rosterPlace('line 3.unknown_column')).toBe('第 3 行 · unknown_column');
    expect(rosterPlace('body.csv')).toBe('body.csv');
  });
});
