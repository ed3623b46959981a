import { createConsoleLogin } from '../../shared/console/logins';
import { httpHandler } from '../../shared/http/pipeline';
import { postConsoleLogin } from '../../shared/routes/console';

export const handler = httpHandler(postConsoleLogin, async () => createConsoleLogin());
