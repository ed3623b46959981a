import { httpHandler } from '../../shared/http/pipeline';
import { revokeKey } from '../../shared/open311/api-keys';
import { deleteOpen311Key } from '../../shared/routes/open311';

export const handler = httpHandler(deleteOpen311Key, async ({ params }) => revokeKey(params.keyId));
