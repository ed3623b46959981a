import { httpHandler, textReply } from '../../shared/http/pipeline';
import { checkJurisdiction, serviceDefinition } from '../../shared/open311/use-cases';
import { render, splitDocument } from '../../shared/open311/wire';
import { getOpen311Service } from '../../shared/routes/open311';

export const handler = httpHandler(getOpen311Service, async ({ params, query }) => {
  checkJurisdiction(query.jurisdiction_id);
  const doc = splitDocument(params.document)!;
  const r = render({ root: 'service_definition', value: serviceDefinition(doc.name) }, doc.format);
  return textReply(200, r.body, r.contentType);
});
