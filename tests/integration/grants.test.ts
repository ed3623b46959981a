import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';

import { LocalScheduler } from '../../infra/local/scheduler';
import { seedDemoData } from '../../infra/local/seed';
import { ddb } from '../../shared/aws';
import { config } from '../../shared/config';
import { lookupHash, seal } from '../../shared/pii/crypto';
import { flushOutbox, newOutboxEntry } from '../../shared/queue/messages';
import { queues, schedules } from '../../shared/resources';
import { routes } from '../../shared/routes';
import { declaredGrant, type Grant,routeGrant, runWithGrant, UndeclaredAccessError } from '../../shared/system/grants';
import { useTestStack } from '../support/stack';

/**
 * Least privilege, enforced where it can be seen: locally each handler runs inside the grant its
 * definition declares (the one the CDK stack turns into IAM), and the code's doors to queues,
 * table writes and secrets refuse anything undeclared — as IAM would in AWS, except that there a
 * refused queue send is hidden by the outbox. Every other test runs its routes, consumers and
 * schedules this way, so a missing declaration fails them.
 */
useTestStack();
const readOnlyRoute: Grant = { name: 'getSomething', sends: [], table: 'read', secrets: ['jwt'] };

describe('declared grants, enforced locally', () => {
  it('an undeclared queue send is an error, not a send deferred to the outbox for later', async () => {
    const entry = newOutboxEntry({ queue: 'exports', body: { exportId: 'x' } });
    await expect(runWithGrant(readOnlyRoute, () => flushOutbox([entry]))).rejects.toThrow(UndeclaredAccessError);
    await expect(runWithGrant(readOnlyRoute, () => flushOutbox([entry]))).rejects.toThrow('getSomething is not granted sqs:SendMessage on the exports queue');
    // Declared (and the outbox item's delete a write it may make), it goes.
    await expect(runWithGrant({ ...readOnlyRoute, sends: ['exports'], table: 'readwrite' }, () => flushOutbox([entry]))).resolves.toEqual({ sent: 1, deferred: 0 });
  });

  it('a write from a read-only function is refused before it reaches DynamoDB; reads pass', async () => {
    const item = { pk: 'GRANT#test', sk: 'x' };
    await expect(runWithGrant(readOnlyRoute, () => ddb().send(new PutCommand({ TableName: config().TABLE_NAME, Item: item })))).rejects.toThrow(
      /^getSomething is not granted dynamodb:Put\w*Command \(it declares read-only table access\)/,
    );
    const read = await runWithGrant(readOnlyRoute, () => ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: item })));
    expect(read.Item).toBeUndefined();
    await runWithGrant({ ...readOnlyRoute, table: 'readwrite' }, () => ddb().send(new PutCommand({ TableName: config().TABLE_NAME, Item: item })));
    expect((await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: item }))).Item).toEqual(item);
  });

  it('a secret not declared cannot be used: the lookup hash, the PII key', async () => {
    await expect(runWithGrant(readOnlyRoute, () => lookupHash('phone', '13900000000'))).rejects.toThrow('getSomething is not granted the piiHash secret');
    await expect(runWithGrant(readOnlyRoute, () => seal('13900000000'))).rejects.toThrow('the piiKey secret');
    await expect(runWithGrant({ ...readOnlyRoute, secrets: ['piiHash'] }, () => lookupHash('phone', '13900000000'))).resolves.toMatch(/^[\w-]{43}$/);
  });

  it('every schedule runs through the local scheduler inside its grant without an undeclared access (the others run through the pollers and the API in the other tests)', async () => {
    await seedDemoData();
    const failures: string[] = [];
    const scheduler = new LocalScheduler(schedules, (line) => failures.push(line));
    for (const s of schedules) await scheduler.fire(s);
    expect(failures).toEqual([]);
  }, 120_000);

  it('the grants come from the definitions: routes by method and declaration, consumers and schedules as declared', () => {
    const getMe = routes.find((r) => r.id === 'getMe')!;
    expect(routeGrant(getMe)).toEqual({ name: 'getMe', sends: [], table: 'read', secrets: ['jwt', 'piiHash', 'piiKey'] });
    const login = routes.find((r) => r.id === 'postAuthWechat')!;
    expect(routeGrant(login).secrets).toEqual(['jwt', 'piiHash', 'piiKey', 'wechat']);
    expect(declaredGrant('notificationsConsumer', queues.notifications.consumer)).toEqual({ name: 'notificationsConsumer', sends: [], table: 'readwrite', secrets: ['wechat'] });
    const sweep = schedules.find((s) => s.id === 'sla-sweep')!;
    expect(declaredGrant('sla-sweepSchedule', sweep).sends).toEqual(['dispatch', 'notifications']);
  });
});
