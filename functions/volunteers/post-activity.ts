import { httpHandler } from '../../shared/http/pipeline';
import { postActivity } from '../../shared/routes/volunteers';
import { createActivity } from '../../shared/volunteers/use-cases';

export const handler = httpHandler(postActivity, async ({ principal, body }) => createActivity(principal, body));
