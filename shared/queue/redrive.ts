import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/**
 * Moves the messages of a dead-letter queue back to its source queue after the fault that sent
 * them there is fixed. A message is deleted from the DLQ only once its copy is on the source
 * queue, so a crash in between leaves a duplicate, never a loss (the consumers are idempotent).
 * FIFO messages keep their group, so per-grid and per-activity order holds.
 */
export async function redriveDeadLetters(
  sqs: SQSClient,
  q: { queueUrl: string; dlqUrl: string; fifo: boolean },
  opts: { max?: number } = {},
): Promise<{ moved: number; failed: number }> {
  const max = opts.max ?? 10_000;
  let moved = 0;
  let failed = 0;
  while (moved + failed < max) {
    const got = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: q.dlqUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        // Long enough to copy and delete; a message left over becomes visible again for the next run.
        VisibilityTimeout: 60,
        MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'],
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = got.Messages ?? [];
    if (messages.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.queueUrl,
        Entries: messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body ?? '',
          ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}),
          ...(q.fifo ? { MessageGroupId: m.Attributes?.MessageGroupId ?? 'redrive', MessageDeduplicationId: `redrive-${m.MessageId}` } : {}),
        })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => Number(s.Id)));
    failed += messages.length - ok.size;
    const copied: Message[] = messages.filter((_, i) => ok.has(i));
    if (copied.length) {
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: q.dlqUrl, Entries: copied.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
    moved += copied.length;
    if (ok.size === 0) break;
  }
  return { moved, failed };
}
