import { myVisits } from '../../shared/households/use-cases';
import { httpHandler } from '../../shared/http/pipeline';
import { getMyVisits } from '../../shared/routes/households';

export const handler = httpHandler(getMyVisits, async ({ principal, query }) => myVisits(principal, query.limit, query.cursor));
