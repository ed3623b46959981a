import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';

import { localSqsClient } from '../../infra/local/provision';
import { ddb, setClientsForTests, sqs } from '../../shared/aws';
import { config } from '../../shared/config';
import { keys } from '../../shared/db/keys';
import { flushOutbox, newOutboxEntry, outboxPut, reconcileOutbox } from '../../shared/queue/messages';
import { flakySqsClient } from '../support/failures';
import { useTestStack } from '../support/stack';

const t = useTestStack();

async function outboxCount(): Promise<number> {
  const out = await ddb().send(
    new QueryCommand({ TableName: config().TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.outboxPartition } }),
  );
  return out.Count ?? 0;
}

async function receiveAll(url: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const out = await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (!out.Messages?.length) return bodies;
    bodies.push(...out.Messages.map((m) => m.Body!));
  }
}

describe('the transactional outbox', () => {
  it('sends at once when the queue answers, leaving nothing behind', async () => {
    const entry = newOutboxEntry({ queue: 'intake', body: { requestId: 'R-ok' } });
    await ddb().send(new TransactWriteCommand({ TransactItems: [outboxPut(entry)] }));
    expect(await flushOutbox([entry])).toEqual({ sent: 1, deferred: 0 });
    expect(await outboxCount()).toBe(0);
    expect(await receiveAll(config().queueUrls.intake)).toEqual([JSON.stringify({ requestId: 'R-ok' })]);
  });

  it('keeps the message when the send fails and the reconcile schedule sends it later', async () => {
    const real = sqs();
    setClientsForTests({ sqs: flakySqsClient(t.stack.sqsEndpoint, (c) => c === 'SendMessageCommand') });
    const entries = [1, 2, 3].map((i) => newOutboxEntry({ queue: 'intake', body: { requestId: `R-${i}` } }));
    await ddb().send(new TransactWriteCommand({ TransactItems: entries.map(outboxPut) }));
    expect(await flushOutbox(entries)).toEqual({ sent: 0, deferred: 3 });
    expect(await outboxCount()).toBe(3);

    // Within the grace period the schedule leaves them alone (the use-case may still be sending).
    setClientsForTests({ sqs: real });
    expect(await reconcileOutbox(new Date())).toEqual({ sent: 0, deferred: 0 });
    expect(await reconcileOutbox(new Date(Date.now() + 61_000))).toEqual({ sent: 3, deferred: 0 });
    expect(await outboxCount()).toBe(0);
    const bodies = (await receiveAll(config().queueUrls.intake)).map((b) => JSON.parse(b).requestId).sort();
    expect(bodies).toEqual(['R-1', 'R-2', 'R-3']);
  });

  it('sends FIFO messages with their group and deduplication id', async () => {
    const entry = newOutboxEntry({ queue: 'dispatch', body: { gridId: 'G001' }, groupId: 'G001', dedupId: 'assign-R-9' });
    await ddb().send(new TransactWriteCommand({ TransactItems: [outboxPut(entry)] }));
    await flushOutbox([entry]);
    await flushOutbox([{ ...entry, messageId: 'again' }]); // a resend within 5 minutes is dropped by SQS
    const client = localSqsClient(t.stack.sqsEndpoint);
    const out = await client.send(
      new ReceiveMessageCommand({ QueueUrl: config().queueUrls.dispatch, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }),
    );
    expect(out.Messages?.length).toBe(1);
    expect(out.Messages?.[0]?.Attributes?.MessageGroupId).toBe('G001');
    expect(out.Messages?.[0]?.Attributes?.MessageDeduplicationId).toBe('assign-R-9');
  });
});
