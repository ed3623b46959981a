import { httpHandler } from '../../shared/http/pipeline';
import { recordSession } from '../../shared/legal/mediation-cases';
import { postMediationSession } from '../../shared/routes/legal';

export const handler = httpHandler(postMediationSession, async ({ body, params, principal }) => recordSession(principal, params.caseId, body));
