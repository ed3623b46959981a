import { httpHandler } from '../../shared/http/pipeline';
import { decideMediation } from '../../shared/legal/mediation-cases';
import { postMediationDecision } from '../../shared/routes/legal';

export const handler = httpHandler(postMediationDecision, async ({ body, params, principal }) => decideMediation(principal, params.caseId, body));
