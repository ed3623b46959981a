import { httpHandler } from '../../shared/http/pipeline';
import { issueKey } from '../../shared/open311/api-keys';
import { jurisdictionId } from '../../shared/open311/use-cases';
import { postOpen311Key } from '../../shared/routes/open311';

export const handler = httpHandler(postOpen311Key, async ({ body, principal }) => issueKey({ ...body, jurisdiction: jurisdictionId }, principal.userId));
