import { httpHandler } from '../../shared/http/pipeline';
import { myAidApplications } from '../../shared/legal/aid-decisions';
import { getMyLegalAid } from '../../shared/routes/legal';

export const handler = httpHandler(getMyLegalAid, async ({ query, principal }) => myAidApplications(principal, new Date(), query.limit, query.cursor));
