import { httpHandler } from '../../shared/http/pipeline';
import { closeAid } from '../../shared/legal/aid-decisions';
import { postLegalAidClosure } from '../../shared/routes/legal';

export const handler = httpHandler(postLegalAidClosure, async ({ body, params, principal }) => closeAid(principal, params.applicationId, body));
