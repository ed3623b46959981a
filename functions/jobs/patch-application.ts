import { httpHandler } from '../../shared/http/pipeline';
import { moveApplication } from '../../shared/jobs/use-cases';
import { patchApplication } from '../../shared/routes/jobs';

export const handler = httpHandler(patchApplication, async ({ principal, params, body }) => moveApplication(principal, params.applicationId, body));
