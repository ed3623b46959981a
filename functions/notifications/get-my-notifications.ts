import { httpHandler } from '../../shared/http/pipeline';
import { myNotices } from '../../shared/notifications/notices';
import { getMyNotifications } from '../../shared/routes/notifications';

export const handler = httpHandler(getMyNotifications, async ({ principal, query }) => myNotices(principal, query.limit, query.cursor));
