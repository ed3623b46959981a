import { httpHandler } from '../../shared/http/pipeline';
import { listMyRequests } from '../../shared/requests/use-cases';
import { getMyRequests } from '../../shared/routes/requests';

export const handler = httpHandler(getMyRequests, async ({ principal, query }) => listMyRequests(principal, query.limit, query.cursor));
