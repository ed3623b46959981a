import { readRosterImport } from '../../shared/households/import-jobs';
import { httpHandler } from '../../shared/http/pipeline';
import { getRosterImport } from '../../shared/routes/households';

export const handler = httpHandler(getRosterImport, async ({ principal, params }) => readRosterImport(principal, params.importId));
