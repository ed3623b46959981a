import { httpHandler } from '../../shared/http/pipeline';
import { aidApplicationsOf } from '../../shared/legal/aid-decisions';
import { getLegalAidList } from '../../shared/routes/legal';

export const handler = httpHandler(getLegalAidList, async ({ query, principal }) => aidApplicationsOf(principal, query.status, new Date(), query.limit, query.cursor));
