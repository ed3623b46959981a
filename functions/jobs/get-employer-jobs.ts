import { httpHandler } from '../../shared/http/pipeline';
import { jobsOfEmployer } from '../../shared/jobs/use-cases';
import { getEmployerJobs } from '../../shared/routes/jobs';

export const handler = httpHandler(getEmployerJobs, async ({ principal, params, query }) => jobsOfEmployer(principal, params.employerId, query));
