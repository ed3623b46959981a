import { httpHandler } from '../../shared/http/pipeline';
import { listInboxFor } from '../../shared/requests/use-cases';
import { getInbox } from '../../shared/routes/requests';

export const handler = httpHandler(getInbox, async ({ principal, query }) => listInboxFor(principal, query));
