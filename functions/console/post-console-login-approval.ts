import { approveConsoleLogin } from '../../shared/console/logins';
import { httpHandler } from '../../shared/http/pipeline';
import { postConsoleLoginApproval } from '../../shared/routes/console';

export const handler = httpHandler(postConsoleLoginApproval, async ({ principal, params }) => approveConsoleLogin(principal, params.loginId));
