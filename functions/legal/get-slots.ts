import { httpHandler } from '../../shared/http/pipeline';
import { listSlots } from '../../shared/legal/consultations';
import { getLegalSlots } from '../../shared/routes/legal';

export const handler = httpHandler(getLegalSlots, async ({ query }) => listSlots(new Date(), 14, query.limit, query.cursor));
