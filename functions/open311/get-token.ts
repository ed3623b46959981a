import { httpHandler, textReply } from '../../shared/http/pipeline';
import { checkJurisdiction, tokenStatus } from '../../shared/open311/use-cases';
import { render, splitDocument } from '../../shared/open311/wire';
import { getOpen311Token } from '../../shared/routes/open311';

export const handler = httpHandler(getOpen311Token, async ({ params, query }) => {
  checkJurisdiction(query.jurisdiction_id);
  const doc = splitDocument(params.document)!;
  const r = render({ root: 'service_requests', item: 'request', value: await tokenStatus(doc.name) }, doc.format);
  return textReply(200, r.body, r.contentType);
});
