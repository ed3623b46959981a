import { httpHandler } from '../../shared/http/pipeline';
import { book } from '../../shared/legal/consultations';
import { postLegalBooking } from '../../shared/routes/legal';

export const handler = httpHandler(postLegalBooking, async ({ body, params, principal }) => book(principal, params.slotId, body));
