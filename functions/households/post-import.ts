import { importRoster } from '../../shared/households/import';
import { httpHandler } from '../../shared/http/pipeline';
import { postHouseholdImport } from '../../shared/routes/households';

export const handler = httpHandler(postHouseholdImport, async ({ principal, body }) => importRoster(principal, body.csv));
