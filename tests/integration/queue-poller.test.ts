import { randomBytes } from 'node:crypto';

import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import * as z from 'zod';

import { localSqsClient } from '../../infra/local/provision';
import { QueuePoller } from '../../infra/local/queue-poller';
import { sqsConsumer } from '../../shared/queue/consumer';

const client = localSqsClient(inject('sqsEndpoint'));
afterAll(() => client.destroy());

async function queueWithDlq(maxReceiveCount: number) {
  const name = `poller-${randomBytes(4).toString('hex')}`;
  const dlq = await client.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const q = await client.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }) },
    }),
  );
  return { url: q.QueueUrl!, dlqUrl: dlq.QueueUrl! };
}

async function drainUntil(poller: QueuePoller, done: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await poller.pollOnce();
  }
}

describe('the local queue poller (Lambda event-source mapping semantics)', () => {
  it('redelivers only the failed message, and moves it to the DLQ after maxReceiveCount', async () => {
    const { url, dlqUrl } = await queueWithDlq(3);
    const seen = new Map<string, number>();
    const handler = sqsConsumer('test', { fifo: false, schema: z.object({ n: z.number() }) }, async (m) => {
      seen.set(String(m.n), (seen.get(String(m.n)) ?? 0) + 1);
      if (m.n === 3) throw new Error('this one always fails');
    });
    await client.send(
      new SendMessageBatchCommand({ QueueUrl: url, Entries: [1, 2, 3, 4, 5].map((n) => ({ Id: String(n), MessageBody: JSON.stringify({ n }) })) }),
    );
    const poller = new QueuePoller(client, { name: 'test', queueUrl: url, fifo: false, batchSize: 10, visibilityTimeoutSeconds: 1, waitTimeSeconds: 1, handler });
    await drainUntil(poller, () => (seen.get('3') ?? 0) >= 3);
    // One more receive window: the poison message must now be in the DLQ, not the queue.
    await new Promise((r) => setTimeout(r, 1_200));
    await poller.pollOnce();

    expect(Object.fromEntries(seen)).toEqual({ '1': 1, '2': 1, '3': 3, '4': 1, '5': 1 });
    const dead = await client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(dead.Messages?.map((m) => JSON.parse(m.Body!).n)).toEqual([3]);
    const left = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expect(left.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('treats a message that does not match its schema as poison', async () => {
    const { url, dlqUrl } = await queueWithDlq(2);
    const handled: number[] = [];
    const handler = sqsConsumer('test', { fifo: false, schema: z.object({ n: z.number() }) }, async (m) => {
      handled.push(m.n);
    });
    await client.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: JSON.stringify({ n: 7 }) },
          { Id: 'b', MessageBody: 'not json' },
          { Id: 'c', MessageBody: JSON.stringify({ n: 'eight' }) },
        ],
      }),
    );
    const poller = new QueuePoller(client, { name: 'test', queueUrl: url, fifo: false, batchSize: 10, visibilityTimeoutSeconds: 1, waitTimeSeconds: 1, handler });
    const deadline = Date.now() + 20_000;
    let dead: string[] = [];
    while (dead.length < 2 && Date.now() < deadline) {
      await poller.pollOnce();
      const out = await client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 30 }));
      dead = dead.concat((out.Messages ?? []).map((m) => m.Body!));
    }
    expect(handled).toEqual([7]);
    expect(dead.sort()).toEqual([JSON.stringify({ n: 'eight' }), 'not json'].sort());
  });

  it('fails the whole batch when the handler crashes', async () => {
    const { url } = await queueWithDlq(5);
    let invocations = 0;
    const poller = new QueuePoller(client, {
      name: 'test',
      queueUrl: url,
      fifo: false,
      batchSize: 10,
      visibilityTimeoutSeconds: 1,
      handler: async () => {
        invocations++;
        if (invocations === 1) throw new Error('crash');
        return { batchItemFailures: [] };
      },
    });
    await client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [1, 2].map((n) => ({ Id: String(n), MessageBody: String(n) })) }));
    let received = 0;
    const deadline = Date.now() + 10_000;
    while (received < 4 && Date.now() < deadline) received += await poller.pollOnce();
    expect(received).toBe(4); // both messages came back once after the crash
    expect(invocations).toBeGreaterThanOrEqual(2);
  });
});
