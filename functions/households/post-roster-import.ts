import { createRosterImport } from '../../shared/households/import-jobs';
import { httpHandler } from '../../shared/http/pipeline';
import { postRosterImport } from '../../shared/routes/households';

export const handler = httpHandler(postRosterImport, async ({ principal, body }) => createRosterImport(principal, body.fileName));
