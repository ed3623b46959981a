import { httpHandler } from '../../shared/http/pipeline';
import { readMediation } from '../../shared/legal/mediation-read';
import { getMediation } from '../../shared/routes/legal';

export const handler = httpHandler(getMediation, async ({ params, principal }) => readMediation(principal, params.caseId));
