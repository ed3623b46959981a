import { httpHandler } from '../../shared/http/pipeline';
import { postAuthRefresh } from '../../shared/routes/identity';
import { refreshSession } from '../../shared/users/use-cases';

export const handler = httpHandler(postAuthRefresh, async ({ body }) => refreshSession(body.refreshToken));
