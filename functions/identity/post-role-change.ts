import { httpHandler } from '../../shared/http/pipeline';
import { postRoleChange } from '../../shared/routes/identity';
import { changeRole } from '../../shared/users/use-cases';

export const handler = httpHandler(postRoleChange, async ({ principal, params, body }) => changeRole(principal, params.userId, body));
