import { httpHandler } from '../../shared/http/pipeline';
import { deleteMySignup } from '../../shared/routes/volunteers';
import { cancelSignup } from '../../shared/volunteers/use-cases';

export const handler = httpHandler(deleteMySignup, async ({ principal, params }) => cancelSignup(principal, params.activityId));
