import { httpHandler } from '../../shared/http/pipeline';
import { myApplications } from '../../shared/jobs/use-cases';
import { getMyApplications } from '../../shared/routes/jobs';

export const handler = httpHandler(getMyApplications, async ({ principal, query }) => myApplications(principal, query.limit, query.cursor));
