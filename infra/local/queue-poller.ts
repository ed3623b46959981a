import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

import { lambdaContext } from './http-api';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface PollerOptions {
  name: string;
  queueUrl: string;
  fifo: boolean;
  batchSize: number;
  /** Seconds a received batch stays invisible; failed messages come back after it. */
  visibilityTimeoutSeconds: number;
  /** Long-poll wait; short so that stop() is prompt. */
  waitTimeSeconds?: number;
  handler: SqsHandler;
  region?: string;
  onError?: (err: unknown) => void;
}

/**
 * Behaves like a Lambda SQS event-source mapping with ReportBatchItemFailures: receives up to
 * `batchSize` messages, invokes the handler with an SQS event, deletes the messages it did not
 * report as failed, and leaves the failed ones to reappear after the visibility timeout. A
 * handler that throws fails the whole batch. The queue's redrive policy (maxReceiveCount) moves
 * a message that keeps failing to its DLQ, as in AWS. One invocation at a time, like a single
 * Lambda execution environment.
 */
export class QueuePoller {
  private running = false;
  private loop: Promise<void> | undefined;
  private queueArn = '';
  invocations = 0;

  constructor(
    private readonly sqs: SQSClient,
    private readonly opts: PollerOptions,
  ) {}

  async start(): Promise<void> {
    const attrs = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: this.opts.queueUrl, AttributeNames: ['QueueArn'] }));
    this.queueArn = attrs.Attributes?.QueueArn ?? '';
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.pollOnce();
      } catch (err) {
        this.opts.onError?.(err);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** One receive -> invoke -> delete cycle; returns how many messages were received. */
  async pollOnce(): Promise<number> {
    const out = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.opts.queueUrl,
        MaxNumberOfMessages: this.opts.batchSize,
        WaitTimeSeconds: this.opts.waitTimeSeconds ?? 1,
        VisibilityTimeout: this.opts.visibilityTimeoutSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return 0;
    const event: SQSEvent = { Records: messages.map((m) => this.toRecord(m)) };
    let failed: Set<string>;
    this.invocations++;
    try {
      const res = await this.opts.handler(event, lambdaContext(this.opts.name, this.opts.visibilityTimeoutSeconds * 1000));
      failed = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (err) {
      this.opts.onError?.(err);
      failed = new Set(messages.map((m) => m.MessageId!));
    }
    const done = messages.filter((m) => !failed.has(m.MessageId!));
    for (let i = 0; i < done.length; i += 10) {
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.opts.queueUrl,
          Entries: done.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
    return messages.length;
  }

  private toRecord(m: Message): SQSRecord {
    const a = m.Attributes ?? {};
    return {
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body ?? '',
      attributes: {
        ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
        SentTimestamp: a.SentTimestamp ?? String(Date.now()),
        SenderId: a.SenderId ?? 'local',
        ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
        ...(a.MessageGroupId ? { MessageGroupId: a.MessageGroupId } : {}),
        ...(a.MessageDeduplicationId ? { MessageDeduplicationId: a.MessageDeduplicationId } : {}),
        ...(a.SequenceNumber ? { SequenceNumber: a.SequenceNumber } : {}),
      },
      messageAttributes: {},
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.queueArn,
      awsRegion: this.opts.region ?? 'cn-northwest-1',
    };
  }
}
