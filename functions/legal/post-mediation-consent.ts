import { httpHandler } from '../../shared/http/pipeline';
import { consentToMediation } from '../../shared/legal/mediation-cases';
import { postMediationConsent } from '../../shared/routes/legal';

export const handler = httpHandler(postMediationConsent, async ({ body, params, principal }) => consentToMediation(principal, params.caseId, body.partyId));
