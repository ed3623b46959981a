import { overview } from '../../shared/console/figures';
import { httpHandler } from '../../shared/http/pipeline';
import { getConsoleOverview } from '../../shared/routes/console';

export const handler = httpHandler(getConsoleOverview, async ({ principal, query }) => overview(principal, query.scope));
