import { httpHandler } from '../../shared/http/pipeline';
import { draftAgreement } from '../../shared/legal/mediation-agreement';
import { postMediationAgreement } from '../../shared/routes/legal';

export const handler = httpHandler(postMediationAgreement, async ({ body, params, principal }) => draftAgreement(principal, params.caseId, body));
