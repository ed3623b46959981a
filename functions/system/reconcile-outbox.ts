import { logger } from '../../shared/logger';
import { reconcileOutbox } from '../../shared/queue/messages';

/** Schedule: sends queue messages whose send failed when the use-case first tried it. */
export const handler = async (): Promise<{ sent: number; deferred: number }> => {
  const result = await reconcileOutbox();
  if (result.sent + result.deferred > 0) logger.info('outbox reconciled', result);
  return result;
};
