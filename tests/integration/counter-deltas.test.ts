import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';

import { handler as reconcileHandler } from '../../functions/system/reconcile-outbox';
import { localDynamoClient } from '../../infra/local/provision';
import { seedDemoData } from '../../infra/local/seed';
import { recount } from '../../infra/ops/recount-figures';
import { ddb, resetClientsForTests, setClientsForTests } from '../../shared/aws';
import { config } from '../../shared/config';
import { keys } from '../../shared/db/keys';
import { getRequest } from '../../shared/requests/repository';
import { routeRequest, submitRequest } from '../../shared/requests/use-cases';
import { foldCounterDeltas, pendingCounterDeltas, reconcileCounterDeltas } from '../../shared/stats/counters';
import { livelihood } from '../fixtures/requests';
import { useTestStack } from '../support/stack';

/**
 * Counters that cannot drift (#17): a request's state change writes its counter delta in its own
 * transaction; the delta is folded into the counters exactly once. A process that dies between the
 * commit and the fold loses nothing — the reconcile schedule folds it — and two folds of one delta
 * count it once.
 */
const t = useTestStack({ workers: false });
const resident = { userId: 'resident-3', roles: ['resident' as const] };

/** A DynamoDB client on the real engine whose counter folds "die" while `dying` is set. */
let dying = false;
function clientThatDiesBeforeFolding(): DynamoDBDocumentClient {
  const client = DynamoDBDocumentClient.from(localDynamoClient(t.stack.dynamoEndpoint), { marshallOptions: { removeUndefinedValues: true } });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TransactItems?: { Delete?: { Key?: { pk?: string } } }[] };
      if (dying && /TransactWrite/.test(context.commandName ?? '') && input.TransactItems?.[0]?.Delete?.Key?.pk === keys.counterDeltaPartition) {
        throw Object.assign(new Error('injected: the process died before folding its counters'), { name: 'InjectedFailure' });
      }
      return next(args);
    },
    { step: 'initialize', name: 'dieBeforeFolding' },
  );
  return client;
}

const openNow = async (gridId: string) =>
  Number((await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.stats('REQ', 'current', 'GRID', gridId), ConsistentRead: true }))).Item?.open ?? 0);

beforeAll(async () => {
  await seedDemoData();
  await reconcileCounterDeltas(new Date(), 0);
});

describe('counter deltas', () => {
  it('a change whose fold died leaves its delta; the counters lag until the reconcile schedule folds it, then agree with the items', async () => {
    const q = await submitRequest(resident, livelihood, undefined);
    await routeRequest(q.requestId);
    const gridId = (await getRequest(q.requestId, true))!.gridId!;
    const before = await openNow(gridId);

    setClientsForTests({ ddb: clientThatDiesBeforeFolding() });
    dying = true;
    try {
      const second = await submitRequest(resident, { ...livelihood, description: '二单元的楼道灯也坏了，晚上很黑' }, undefined);
      expect(await routeRequest(second.requestId)).toBe('assigned');
    } finally {
      dying = false;
      resetClientsForTests();
    }
    // The request is routed (committed); its "open now" is not counted yet, but its delta is kept.
    expect(await openNow(gridId)).toBe(before);
    const pending = await pendingCounterDeltas(new Date(Date.now() + 1000));
    expect(pending).toHaveLength(1);
    expect(pending[0]!.updates).toContainEqual(expect.objectContaining({ domain: 'REQ', period: 'current', dimension: 'GRID', value: gridId, adds: { open: 1 } }));

    // The schedule (a minute later) folds it, once.
    expect(await reconcileCounterDeltas(new Date(Date.now() + 61_000))).toEqual({ folded: 1, left: 0 });
    expect(await openNow(gridId)).toBe(before + 1);
    expect(await reconcileCounterDeltas(new Date(Date.now() + 61_000))).toEqual({ folded: 0, left: 0 });
    expect(await openNow(gridId)).toBe(before + 1);
    expect((await recount()).disagreements).toEqual([]);
  }, 60_000);

  it('two folds of the same delta at once count it once', async () => {
    setClientsForTests({ ddb: clientThatDiesBeforeFolding() });
    dying = true;
    try {
      const q = await submitRequest(resident, { ...livelihood, description: '三单元门口的路灯也不亮了' }, undefined);
      await routeRequest(q.requestId);
    } finally {
      dying = false;
      resetClientsForTests();
    }
    const [delta] = await pendingCounterDeltas(new Date(Date.now() + 1000));
    const gridId = delta!.updates.find((u) => u.dimension === 'GRID')!.value;
    const before = await openNow(gridId);
    const results = await Promise.all([foldCounterDeltas([delta!]), foldCounterDeltas([delta!]), foldCounterDeltas([delta!])]);
    expect(results.reduce((n, r) => n + r.folded, 0)).toBe(1);
    expect(await openNow(gridId)).toBe(before + 1);
    expect(await pendingCounterDeltas(new Date(Date.now() + 1000))).toEqual([]);
    expect((await recount()).disagreements).toEqual([]);
  }, 60_000);

  it('the reconcile schedule reports what it folded beside what it sent', async () => {
    expect(await reconcileHandler()).toEqual({ sent: 0, deferred: 0, folded: 0, left: 0 });
  });
});
