import { httpHandler } from '../../shared/http/pipeline';
import { postSignup } from '../../shared/routes/volunteers';
import { signUp } from '../../shared/volunteers/use-cases';

export const handler = httpHandler(postSignup, async ({ principal, params }) => signUp(principal, params.activityId));
