import * as z from 'zod';

import { sqsConsumer } from '../../shared/queue/consumer';
import { promoteWaiters } from '../../shared/volunteers/use-cases';

/** signups.fifo consumer (grouped by activity): freed seats go to the waitlist in order. */
export const handler = sqsConsumer('promoter', { fifo: true, schema: z.object({ activityId: z.string().min(1) }) }, async (m) => {
  await promoteWaiters(m.activityId);
});
