import { BatchProcessor, EventType, processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';

import { logger } from '../logger';
import { issuesToDetails } from '../validation';

/** A message that can never succeed (bad shape): it is failed so that it ends in the DLQ. */
export class PoisonMessageError extends Error {}

/**
 * Builds an SQS consumer: every record is parsed with the consumer's zod schema and handed to
 * `fn`; failures are reported per record (ReportBatchItemFailures) so that only the failed
 * messages come back. On FIFO queues a failure also fails the rest of its message group in the
 * batch, which keeps the per-group order. A processor is made per invocation so that nothing of
 * one batch can leak into another. Handlers must be idempotent: delivery is at least once.
 */
export function sqsConsumer<S extends z.ZodType>(
  name: string,
  opts: { fifo: boolean; schema: S },
  fn: (message: z.output<S>, record: SQSRecord) => Promise<void>,
) {
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    let raw: unknown;
    try {
      raw = JSON.parse(record.body);
    } catch {
      throw new PoisonMessageError(`${name}: body is not JSON`);
    }
    const parsed = opts.schema.safeParse(raw);
    if (!parsed.success) {
      logger.error('poison message', { consumer: name, messageId: record.messageId, issues: issuesToDetails(parsed.error.issues, 'message') });
      throw new PoisonMessageError(`${name}: message does not match its schema`);
    }
    try {
      await fn(parsed.data, record);
    } catch (err) {
      // The batch processor keeps only the failure; the on-call engineer needs its cause.
      logger.error('message failed; it will be retried, then kept in the DLQ', { messageId: record.messageId, error: err as Error });
      throw err;
    }
  };

  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    logger.resetKeys();
    logger.appendKeys({ consumer: name, requestId: context.awsRequestId });
    const response = opts.fifo
      ? await processPartialResponse(event, recordHandler, new SqsFifoPartialProcessorAsync(), {
          context,
          skipGroupOnError: true,
          throwOnFullBatchFailure: false,
        })
      : await processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
          context,
          throwOnFullBatchFailure: false,
        });
    if (response.batchItemFailures.length > 0) {
      logger.warn('batch had failures', { failed: response.batchItemFailures.length, of: event.Records.length });
    }
    return response;
  };
}
