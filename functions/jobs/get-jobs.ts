import { httpHandler } from '../../shared/http/pipeline';
import { listJobs } from '../../shared/jobs/use-cases';
import { getJobs } from '../../shared/routes/jobs';

export const handler = httpHandler(getJobs, async ({ query }) => listJobs(query));
