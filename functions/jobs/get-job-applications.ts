import { httpHandler } from '../../shared/http/pipeline';
import { applicationsOfJob } from '../../shared/jobs/use-cases';
import { getJobApplications } from '../../shared/routes/jobs';

export const handler = httpHandler(getJobApplications, async ({ principal, params, query }) => applicationsOfJob(principal, params.jobId, query.limit, query.cursor));
