import * as z from 'zod';

import { sqsConsumer } from '../../shared/queue/consumer';
import { routeRequest } from '../../shared/requests/use-cases';

/** intake consumer: the router. Idempotent: a redelivered message finds the request routed. */
export const handler = sqsConsumer('router', { fifo: false, schema: z.object({ requestId: z.string().min(1) }) }, async (m) => {
  await routeRequest(m.requestId);
});
