import { httpHandler } from '../../shared/http/pipeline';
import { recordFollowUp } from '../../shared/legal/mediation-cases';
import { postMediationFollowUp } from '../../shared/routes/legal';

export const handler = httpHandler(postMediationFollowUp, async ({ body, params, principal }) => recordFollowUp(principal, params.caseId, body));
