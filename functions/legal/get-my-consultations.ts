import { httpHandler } from '../../shared/http/pipeline';
import { myConsultations } from '../../shared/legal/consultations';
import { getMyConsultations } from '../../shared/routes/legal';

export const handler = httpHandler(getMyConsultations, async ({ principal, query }) => myConsultations(principal, new Date(), query.limit, query.cursor));
