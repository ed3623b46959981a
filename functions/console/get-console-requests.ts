import { openRequests } from '../../shared/console/figures';
import { httpHandler } from '../../shared/http/pipeline';
import { getConsoleRequests } from '../../shared/routes/console';

export const handler = httpHandler(getConsoleRequests, async ({ principal, query }) => openRequests(principal, query.scope));
