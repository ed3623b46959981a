import { httpHandler } from '../../shared/http/pipeline';
import { listKeys } from '../../shared/open311/api-keys';
import { getOpen311Keys } from '../../shared/routes/open311';

export const handler = httpHandler(getOpen311Keys, async () => ({ items: await listKeys() }));
