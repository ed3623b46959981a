import { pollConsoleLogin } from '../../shared/console/logins';
import { httpHandler } from '../../shared/http/pipeline';
import { postConsoleLoginPoll } from '../../shared/routes/console';

export const handler = httpHandler(postConsoleLoginPoll, async ({ params, body }) => pollConsoleLogin(params.loginId, body.pollSecret));
