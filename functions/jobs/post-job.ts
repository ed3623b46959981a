import { httpHandler } from '../../shared/http/pipeline';
import { createJob } from '../../shared/jobs/use-cases';
import { postJob } from '../../shared/routes/jobs';

export const handler = httpHandler(postJob, async ({ principal, body }) => createJob(principal, body));
