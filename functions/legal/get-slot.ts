import { httpHandler } from '../../shared/http/pipeline';
import { slotForOfficer } from '../../shared/legal/consultations';
import { getLegalSlot } from '../../shared/routes/legal';

export const handler = httpHandler(getLegalSlot, async ({ params, principal }) => slotForOfficer(principal, params.slotId));
