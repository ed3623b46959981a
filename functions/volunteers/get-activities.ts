import { httpHandler } from '../../shared/http/pipeline';
import { getActivities } from '../../shared/routes/volunteers';
import { listUpcoming } from '../../shared/volunteers/use-cases';

export const handler = httpHandler(getActivities, async ({ query }) => listUpcoming(query));
