import { httpHandler } from '../../shared/http/pipeline';
import { postAuthWechat } from '../../shared/routes/identity';
import { login } from '../../shared/users/use-cases';

export const handler = httpHandler(postAuthWechat, async ({ body }) => login(body.code));
