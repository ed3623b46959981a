import { logger } from '../../shared/logger';
import { reconcileOutbox } from '../../shared/queue/messages';
import { reconcileCounterDeltas } from '../../shared/stats/counters';

/**
 * Schedule: finishes what a use-case committed but could not complete at once — queue messages
 * whose send failed, and counter deltas whose fold lost a race or whose process died.
 */
export const handler = async (): Promise<{ sent: number; deferred: number; folded: number; left: number }> => {
  const [messages, counters] = await Promise.all([reconcileOutbox(), reconcileCounterDeltas()]);
  const result = { ...messages, ...counters };
  if (result.sent + result.deferred + result.folded + result.left > 0) logger.info('outbox reconciled', result);
  return result;
};
