import * as z from 'zod';

import { deliverNotification, notificationSchema } from '../../shared/notifications/notify';
import { sqsConsumer } from '../../shared/queue/consumer';
import { dispatchAssignment } from '../../shared/requests/use-cases';

/**
 * dispatch.fifo consumer (grouped by grid, so a grid's assignments are told in order): tells the
 * assignee and anyone informed. Deliveries are idempotent per notification id.
 */
export const handler = sqsConsumer(
  'dispatch',
  { fifo: true, schema: z.object({ requestId: z.string().min(1), version: z.number().int(), kind: z.string() }) },
  async (m) => {
    for (const entry of await dispatchAssignment(m.requestId, m.version)) {
      // The entry was built by notificationMessage(); parsed, not cast, so a drift fails loudly here.
      await deliverNotification(notificationSchema.parse(entry.body));
    }
  },
);
