import { httpHandler } from '../../shared/http/pipeline';
import { decideAid } from '../../shared/legal/aid-decisions';
import { postLegalAidDecision } from '../../shared/routes/legal';

export const handler = httpHandler(postLegalAidDecision, async ({ body, params, principal }) => decideAid(principal, params.applicationId, body));
