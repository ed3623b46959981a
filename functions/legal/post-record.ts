import { httpHandler } from '../../shared/http/pipeline';
import { recordConsultation } from '../../shared/legal/consultations';
import { postLegalRecord } from '../../shared/routes/legal';

export const handler = httpHandler(postLegalRecord, async ({ body, params, principal }) => recordConsultation(principal, params.slotId, params.userId, body));
