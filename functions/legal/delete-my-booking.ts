import { httpHandler } from '../../shared/http/pipeline';
import { cancel } from '../../shared/legal/consultations';
import { deleteMyLegalBooking } from '../../shared/routes/legal';

export const handler = httpHandler(deleteMyLegalBooking, async ({ params, principal }) => cancel(principal, params.slotId));
