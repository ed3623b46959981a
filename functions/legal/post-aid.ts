import { httpHandler } from '../../shared/http/pipeline';
import { applyForAid } from '../../shared/legal/aid-applications';
import { checkCalendar } from '../../shared/legal/working-days';
import { postLegalAid } from '../../shared/routes/legal';

// At cold start: a holiday table that does not reach a month ahead is logged (deadlines past it are estimated and say so).
checkCalendar();

export const handler = httpHandler(postLegalAid, async ({ body, principal, idempotencyKey }) => applyForAid(principal, body, idempotencyKey));
