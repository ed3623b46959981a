import { listMyRosterImports } from '../../shared/households/import-jobs';
import { httpHandler } from '../../shared/http/pipeline';
import { getMyRosterImports } from '../../shared/routes/households';

export const handler = httpHandler(getMyRosterImports, async ({ principal }) => listMyRosterImports(principal));
