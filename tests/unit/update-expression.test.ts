import { describe, expect, it } from 'vitest';

import { buildUpdate } from '../../shared/db/update';

describe('buildUpdate', () => {
  it('gives every name and value a placeholder, SET then ADD then REMOVE, hand-written SET clauses last', () => {
    expect(
      buildUpdate({ set: { status: 'ready', name: '王' }, add: { open: 1, overdue: -1 }, remove: ['confirmBy'], expressions: ['#v = #v + :one'], names: { '#v': 'version' }, values: { ':one': 1 } }),
    ).toEqual({
      UpdateExpression: 'SET #u0 = :u0, #u1 = :u1, #v = #v + :one ADD #a0 :a0, #a1 :a1 REMOVE #r0',
      ExpressionAttributeNames: { '#v': 'version', '#u0': 'status', '#u1': 'name', '#a0': 'open', '#a1': 'overdue', '#r0': 'confirmBy' },
      ExpressionAttributeValues: { ':one': 1, ':u0': 'ready', ':u1': '王', ':a0': 1, ':a1': -1 },
    });
  });

  it('leaves out the values map when nothing has a value (DynamoDB refuses an empty one), and refuses an empty update', () => {
    expect(buildUpdate({ remove: ['a'] })).toEqual({ UpdateExpression: 'REMOVE #r0', ExpressionAttributeNames: { '#r0': 'a' } });
    expect(() => buildUpdate({})).toThrow('nothing to update');
  });
});
