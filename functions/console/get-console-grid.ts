import { gridDetail } from '../../shared/console/figures';
import { httpHandler } from '../../shared/http/pipeline';
import { getConsoleGrid } from '../../shared/routes/console';

export const handler = httpHandler(getConsoleGrid, async ({ principal, params }) => gridDetail(principal, params.gridId));
