import { httpHandler } from '../../shared/http/pipeline';
import { applyForAid } from '../../shared/legal/aid-applications';
import { postLegalAid } from '../../shared/routes/legal';

export const handler = httpHandler(postLegalAid, async ({ body, principal }) => applyForAid(principal, body));
