import { httpHandler } from '../../shared/http/pipeline';
import { postCheckin } from '../../shared/routes/volunteers';
import { checkIn } from '../../shared/volunteers/use-cases';

export const handler = httpHandler(postCheckin, async ({ principal, params, body }) => checkIn(principal, params.activityId, body.code, body.kind));
