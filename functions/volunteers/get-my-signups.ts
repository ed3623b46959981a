import { httpHandler } from '../../shared/http/pipeline';
import { getMySignups } from '../../shared/routes/volunteers';
import { mySignups } from '../../shared/volunteers/use-cases';

export const handler = httpHandler(getMySignups, async ({ principal, query }) => mySignups(principal, query.limit, query.cursor));
