import { httpHandler } from '../../shared/http/pipeline';
import { markNoticesRead } from '../../shared/notifications/notices';
import { postNotificationsRead } from '../../shared/routes/notifications';

export const handler = httpHandler(postNotificationsRead, async ({ principal }) => markNoticesRead(principal));
