import { httpHandler } from '../../shared/http/pipeline';
import { recordFailure } from '../../shared/legal/mediation-cases';
import { postMediationFailure } from '../../shared/routes/legal';

export const handler = httpHandler(postMediationFailure, async ({ body, params, principal }) => recordFailure(principal, params.caseId, body));
