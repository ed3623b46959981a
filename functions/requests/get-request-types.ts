import { httpHandler } from '../../shared/http/pipeline';
import { requestTypes } from '../../shared/requests/catalogue';
import { getRequestTypes } from '../../shared/routes/requests';

export const handler = httpHandler(getRequestTypes, async () => ({ items: requestTypes }));
