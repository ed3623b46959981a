import { httpHandler, textReply } from '../../shared/http/pipeline';
import { optionalKey } from '../../shared/open311/api-keys';
import { checkJurisdiction, oneRequest } from '../../shared/open311/use-cases';
import { render, splitDocument } from '../../shared/open311/wire';
import { getOpen311Request } from '../../shared/routes/open311';

export const handler = httpHandler(getOpen311Request, async ({ params, query }) => {
  checkJurisdiction(query.jurisdiction_id);
  const doc = splitDocument(params.document)!;
  const r = render({ root: 'service_requests', item: 'request', value: await oneRequest(doc.name, await optionalKey(query.api_key)) }, doc.format);
  return textReply(200, r.body, r.contentType);
});
