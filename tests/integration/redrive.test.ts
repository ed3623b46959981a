import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';

import { localSqsClient } from '../../infra/local/provision';
import { redriveDeadLetters } from '../../shared/queue/redrive';
import { useTestStack } from '../support/stack';

const t = useTestStack();

async function drain(sqs: ReturnType<typeof localSqsClient>, url: string) {
  const got: { body: string; group?: string }[] = [];
  for (;;) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['MessageGroupId'] }));
    if (!out.Messages?.length) return got;
    got.push(...out.Messages.map((m) => ({ body: m.Body!, group: m.Attributes?.MessageGroupId })));
    // Deleted as a consumer would: a FIFO group shows its next message only then.
    for (const m of out.Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
  }
}

describe('npm run redrive: dead letters back to their queue', () => {
  it('moves every message of a standard queue\'s DLQ back, once', async () => {
    const sqs = localSqsClient(t.stack.sqsEndpoint);
    const intake = t.stack.queues.find((q) => q.def.id === 'intake')!;
    for (let i = 0; i < 23; i++) await sqs.send(new SendMessageCommand({ QueueUrl: intake.dlqUrl, MessageBody: JSON.stringify({ requestId: `R${i}` }) }));
    expect(await redriveDeadLetters(sqs, { queueUrl: intake.url, dlqUrl: intake.dlqUrl, fifo: false })).toEqual({ moved: 23, failed: 0 });
    expect(await drain(sqs, intake.dlqUrl)).toEqual([]);
    const back = await drain(sqs, intake.url);
    expect(back.map((m) => JSON.parse(m.body).requestId).sort()).toEqual(Array.from({ length: 23 }, (_, i) => `R${i}`).sort());
    sqs.destroy();
  });

  it('keeps a FIFO message\'s group and order', async () => {
    const sqs = localSqsClient(t.stack.sqsEndpoint);
    const dispatch = t.stack.queues.find((q) => q.def.id === 'dispatch')!;
    for (const [i, group] of ['G001', 'G002', 'G001', 'G001'].entries()) {
      await sqs.send(new SendMessageCommand({ QueueUrl: dispatch.dlqUrl, MessageBody: `m${i}`, MessageGroupId: group, MessageDeduplicationId: `d${i}` }));
    }
    expect(await redriveDeadLetters(sqs, { queueUrl: dispatch.url, dlqUrl: dispatch.dlqUrl, fifo: true })).toEqual({ moved: 4, failed: 0 });
    const back = await drain(sqs, dispatch.url);
    expect(back.filter((m) => m.group === 'G001').map((m) => m.body)).toEqual(['m0', 'm2', 'm3']);
    expect(back.filter((m) => m.group === 'G002').map((m) => m.body)).toEqual(['m1']);
    sqs.destroy();
  });
});
