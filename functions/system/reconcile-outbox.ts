import { logger } from '../../shared/logger';
import { flushOutbox, pendingOutbox } from '../../shared/queue/messages';

/** Grace period: a use-case normally flushes its own outbox entry within milliseconds. */
const graceMs = 60_000;

/** Schedule: sends queue messages whose send failed when the use-case tried it. */
export const handler = async (): Promise<{ sent: number; deferred: number }> => {
  let sent = 0;
  let deferred = 0;
  // Bounded: a large backlog is worked off over several runs rather than in one long one.
  for (let round = 0; round < 10; round++) {
    const entries = await pendingOutbox(new Date(Date.now() - graceMs));
    if (entries.length === 0) break;
    const r = await flushOutbox(entries);
    sent += r.sent;
    deferred += r.deferred;
    if (r.sent === 0) break;
  }
  if (sent + deferred > 0) logger.info('outbox reconciled', { sent, deferred });
  return { sent, deferred };
};
