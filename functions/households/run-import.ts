import * as z from 'zod';

import { runRosterImport } from '../../shared/households/import-jobs';
import { sqsConsumer } from '../../shared/queue/consumer';

/** imports consumer: checks and writes one roster file; a redelivery resumes or finds it finished. */
export const handler = sqsConsumer('importer', { fifo: false, schema: z.object({ importId: z.string().min(1) }) }, async (m) => {
  await runRosterImport(m.importId);
});
