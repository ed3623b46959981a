import { httpHandler } from '../../shared/http/pipeline';
import { applyForMediation } from '../../shared/legal/mediation-application';
import { postMediation } from '../../shared/routes/legal';

export const handler = httpHandler(postMediation, async ({ body, principal, idempotencyKey }) => applyForMediation(principal, body, idempotencyKey));
