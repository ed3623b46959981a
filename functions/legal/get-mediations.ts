import { httpHandler } from '../../shared/http/pipeline';
import { mediationsOf } from '../../shared/legal/mediation-cases';
import { getMediations } from '../../shared/routes/legal';

export const handler = httpHandler(getMediations, async ({ query, principal }) => mediationsOf(principal, query.status, new Date(), query.limit, query.cursor));
