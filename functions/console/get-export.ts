import { readExport } from '../../shared/console/exports';
import { httpHandler } from '../../shared/http/pipeline';
import { getExport } from '../../shared/routes/console';

export const handler = httpHandler(getExport, async ({ principal, params }) => readExport(principal, params.exportId));
