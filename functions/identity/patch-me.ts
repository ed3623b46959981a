import { httpHandler } from '../../shared/http/pipeline';
import { patchMe } from '../../shared/routes/identity';
import { updateMe } from '../../shared/users/use-cases';

export const handler = httpHandler(patchMe, async ({ principal, body }) => updateMe(principal, body));
