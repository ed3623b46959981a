import { trends } from '../../shared/console/figures';
import { httpHandler } from '../../shared/http/pipeline';
import { getConsoleTrends } from '../../shared/routes/console';

export const handler = httpHandler(getConsoleTrends, async ({ principal, query }) => trends(principal, query.scope, query.months));
