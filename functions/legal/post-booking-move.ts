import { httpHandler } from '../../shared/http/pipeline';
import { move } from '../../shared/legal/consultations';
import { postLegalBookingMove } from '../../shared/routes/legal';

export const handler = httpHandler(postLegalBookingMove, async ({ body, params, principal }) => move(principal, params.slotId, body.toSlotId));
