import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';

import { handler as router } from '../../functions/requests/route-intake';
import { localSqsClient } from '../../infra/local/provision';
import { QueuePoller, type SqsHandler } from '../../infra/local/queue-poller';
import { seedDemoData } from '../../infra/local/seed';
import { ddb, setClientsForTests, sqs } from '../../shared/aws';
import { config } from '../../shared/config';
import { keys } from '../../shared/db/keys';
import { pendingOutbox, reconcileOutbox } from '../../shared/queue/messages';
import { submitRequest } from '../../shared/requests/use-cases';
import { principalOf } from '../../shared/users/model';
import { getUser } from '../../shared/users/repository';
import { livelihood } from '../fixtures/requests';
import { flakySqsClient } from '../support/failures';
import { useTestStack } from '../support/stack';

const t = useTestStack({ workers: false });

beforeAll(async () => {
  await seedDemoData();
});

const intake = () => t.stack.queues.find((q) => q.def.id === 'intake')!;

async function depth(url: string): Promise<number> {
  const out = await sqs().send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(out.Attributes!.ApproximateNumberOfMessages) + Number(out.Attributes!.ApproximateNumberOfMessagesNotVisible);
}

async function inParallel<T>(n: number, count: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

describe('routing under failure', () => {
  it('2,000 requests, 20% of router invocations crashing and 10% of queue sends failing: each assigned exactly once, none lost', async () => {
    const residents = await Promise.all(Array.from({ length: 20 }, (_, i) => getUser(`resident-${i + 1}`)));
    const realSqs = sqs();
    let sendCalls = 0;
    // Every tenth send fails, whoever sends (the submit path and the router alike).
    setClientsForTests({ sqs: flakySqsClient(t.stack.sqsEndpoint, (c) => c === 'SendMessageCommand' && ++sendCalls % 10 === 0) });

    const ids = await inParallel(16, 2000, async (i) => (await submitRequest(principalOf(residents[i % 20]!), { ...livelihood, description: `第${i}号：楼道灯不亮` }, `load-${i}-key`)).requestId);
    expect(new Set(ids).size).toBe(2000);
    const deferredAtSubmit = (await pendingOutbox(new Date(Date.now() + 3600_000), 1000)).length;

    // One in five invocations crashes: half before doing anything, half after routing the whole
    // batch (so redelivered messages meet requests already routed). Injected only on a message's
    // first three receives, so that no message is driven into the DLQ by the injection itself.
    let invocations = 0;
    let crashed = 0;
    const crashing: SqsHandler = async (event: SQSEvent, ctx) => {
      const n = ++invocations;
      const early = event.Records.every((r) => Number(r.attributes.ApproximateReceiveCount) <= 3);
      if (n % 5 === 0 && early) {
        crashed++;
        if (n % 10 === 0) throw new Error('injected crash before processing');
        await router(event, ctx);
        throw new Error('injected crash after processing');
      }
      return router(event, ctx);
    };
    const client = localSqsClient(t.stack.sqsEndpoint);
    const pollers = [1, 2].map(
      () => new QueuePoller(client, { name: 'router', queueUrl: intake().url, fifo: false, batchSize: 10, visibilityTimeoutSeconds: 1, waitTimeSeconds: 1, handler: crashing }),
    );

    const assignedCount = async () => {
      let assigned = 0;
      for (let i = 0; i < ids.length; i += 100) {
        const batch = ids.slice(i, i + 100);
        const rs = await Promise.all(batch.map((id) => ddb().send(new QueryCommand({ TableName: config().TABLE_NAME, KeyConditionExpression: 'pk = :pk AND sk = :m', ExpressionAttributeValues: { ':pk': keys.requestPartition(id), ':m': 'META' } }))));
        assigned += rs.filter((r) => r.Items?.[0]?.status === 'assigned').length;
      }
      return assigned;
    };

    const deadline = Date.now() + 240_000;
    for (;;) {
      // Drain what is on the queue, then let the outbox schedule resend what failed (its clock
      // moved past the grace period).
      while ((await Promise.all(pollers.map((p) => p.pollOnce()))).some((n) => n > 0));
      await reconcileOutbox(new Date(Date.now() + 61_000));
      if ((await depth(intake().url)) === 0 && (await pendingOutbox(new Date(Date.now() + 3600_000), 10)).filter((e) => e.queue === 'intake').length === 0) {
        if ((await assignedCount()) === ids.length) break;
      }
      if (Date.now() > deadline) throw new Error(`not all routed: ${await assignedCount()} of ${ids.length}`);
    }
    setClientsForTests({ sqs: realSqs });

    expect(deferredAtSubmit).toBeGreaterThan(0);
    expect(crashed).toBeGreaterThan(0);
    // Exactly once: every request is at version 2 with exactly the two timeline entries
    // submitted + assigned, whatever was redelivered.
    const problems: string[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const rs = await Promise.all(
        ids.slice(i, i + 100).map((id) =>
          ddb().send(new QueryCommand({ TableName: config().TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.requestPartition(id) } })),
        ),
      );
      for (const [j, r] of rs.entries()) {
        const meta = r.Items!.find((x) => x.sk === 'META')!;
        const kinds = r.Items!.filter((x) => x.sk !== 'META').map((x) => x.kind);
        if (meta.status !== 'assigned' || meta.version !== 2 || kinds.join() !== 'submitted,assigned') problems.push(`${ids[i + j]}: ${meta.status} v${meta.version} ${kinds.join()}`);
      }
    }
    expect(problems).toEqual([]);
    const dlq = await sqs().send(new ReceiveMessageCommand({ QueueUrl: intake().dlqUrl, MaxNumberOfMessages: 10 }));
    expect(dlq.Messages ?? []).toEqual([]);
    console.log(`resilience: ${ids.length} requests, ${deferredAtSubmit} intake sends deferred to the outbox at submit, ${invocations} router invocations, ${crashed} crashed`);
  }, 300_000);

  it('sends a poison message to the DLQ after maxReceiveCount while the rest are routed', async () => {
    const resident = principalOf((await getUser('resident-3'))!);
    const good = await Promise.all([1, 2, 3].map((i) => submitRequest(resident, { ...livelihood, description: `正常诉求${i}号` }, undefined)));
    await sqs().send(new SendMessageCommand({ QueueUrl: intake().url, MessageBody: JSON.stringify({ requestId: 'R000000NOPE00' }) }));
    await sqs().send(new SendMessageCommand({ QueueUrl: intake().url, MessageBody: '{"requestId":' }));
    const poller = new QueuePoller(localSqsClient(t.stack.sqsEndpoint), { name: 'router', queueUrl: intake().url, fifo: false, batchSize: 10, visibilityTimeoutSeconds: 1, waitTimeSeconds: 1, handler: router });
    const dead: string[] = [];
    const deadline = Date.now() + 30_000;
    while (dead.length < 2 && Date.now() < deadline) {
      await poller.pollOnce();
      const out = await sqs().send(new ReceiveMessageCommand({ QueueUrl: intake().dlqUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
      dead.push(...(out.Messages ?? []).map((m) => m.Body!));
    }
    expect(dead.sort()).toEqual(['{"requestId":', JSON.stringify({ requestId: 'R000000NOPE00' })].sort());
    for (const g of good) {
      const out = await ddb().send(new QueryCommand({ TableName: config().TABLE_NAME, KeyConditionExpression: 'pk = :pk AND sk = :m', ExpressionAttributeValues: { ':pk': keys.requestPartition(g.requestId), ':m': 'META' } }));
      expect(out.Items?.[0]?.status).toBe('assigned');
    }
  });
});
