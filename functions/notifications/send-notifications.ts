import { deliverNotification, notificationSchema } from '../../shared/notifications/notify';
import { sqsConsumer } from '../../shared/queue/consumer';

/** notifications consumer: one WeChat subscribe message per queue message, at most once per id. */
export const handler = sqsConsumer('notifier', { fifo: false, schema: notificationSchema }, async (n) => {
  await deliverNotification(n);
});
