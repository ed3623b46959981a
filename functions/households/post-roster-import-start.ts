import { startRosterImport } from '../../shared/households/import-jobs';
import { httpHandler } from '../../shared/http/pipeline';
import { postRosterImportStart } from '../../shared/routes/households';

export const handler = httpHandler(postRosterImportStart, async ({ principal, params }) => {
  const out = await startRosterImport(principal, params.importId);
  return { raw: true, status: 202, body: out, headers: { location: `/v1/imports/${out.importId}` } };
});
