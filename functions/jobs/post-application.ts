import { httpHandler } from '../../shared/http/pipeline';
import { apply } from '../../shared/jobs/use-cases';
import { postApplication } from '../../shared/routes/jobs';

export const handler = httpHandler(postApplication, async ({ principal, params, body }) => apply(principal, params.jobId, body.note));
