import { httpHandler } from '../../shared/http/pipeline';
import { confirmAgreement } from '../../shared/legal/mediation-cases';
import { postMediationConfirm } from '../../shared/routes/legal';

export const handler = httpHandler(postMediationConfirm, async ({ body, params, principal }) => confirmAgreement(principal, params.caseId, body.partyId));
