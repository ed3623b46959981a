import { httpHandler } from '../../shared/http/pipeline';
import { myMediations } from '../../shared/legal/mediation-cases';
import { getMyMediations } from '../../shared/routes/legal';

export const handler = httpHandler(getMyMediations, async ({ query, principal }) => myMediations(principal, query.limit, query.cursor));
