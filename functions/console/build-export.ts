import * as z from 'zod';

import { buildExport } from '../../shared/console/exports';
import { sqsConsumer } from '../../shared/queue/consumer';

/** exports consumer: builds one CSV; a redelivered message finds it built. */
export const handler = sqsConsumer('exporter', { fifo: false, schema: z.object({ exportId: z.string().min(1) }) }, async (m) => {
  await buildExport(m.exportId);
});
