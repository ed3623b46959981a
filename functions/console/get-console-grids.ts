import { gridTiles } from '../../shared/console/figures';
import { httpHandler } from '../../shared/http/pipeline';
import { getConsoleGrids } from '../../shared/routes/console';

export const handler = httpHandler(getConsoleGrids, async ({ principal, query }) => gridTiles(principal, query.scope));
