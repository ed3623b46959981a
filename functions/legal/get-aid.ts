import { httpHandler } from '../../shared/http/pipeline';
import { readAid } from '../../shared/legal/aid-applications';
import { getLegalAid } from '../../shared/routes/legal';

export const handler = httpHandler(getLegalAid, async ({ params, principal }) => readAid(principal, params.applicationId));
