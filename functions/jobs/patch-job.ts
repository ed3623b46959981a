import { httpHandler } from '../../shared/http/pipeline';
import { updateJob } from '../../shared/jobs/use-cases';
import { patchJob } from '../../shared/routes/jobs';

export const handler = httpHandler(patchJob, async ({ principal, params, body }) => updateJob(principal, params.jobId, body));
