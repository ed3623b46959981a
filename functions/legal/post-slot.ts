import { httpHandler } from '../../shared/http/pipeline';
import { createSlot } from '../../shared/legal/consultations';
import { postLegalSlot } from '../../shared/routes/legal';

export const handler = httpHandler(postLegalSlot, async ({ body, principal }) => createSlot(principal, body));
