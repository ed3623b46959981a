import { requestExport } from '../../shared/console/exports';
import { httpHandler } from '../../shared/http/pipeline';
import { postExport } from '../../shared/routes/console';

export const handler = httpHandler(postExport, async ({ principal, body }) => {
  const out = await requestExport(principal, body.kind, body.scope);
  return { raw: true, status: 202, body: out, headers: { location: `/v1/exports/${out.exportId}` } };
});
