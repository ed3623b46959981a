import { NotFoundError } from '../../shared/errors';
import { httpHandler, textReply } from '../../shared/http/pipeline';
import { authenticateKey } from '../../shared/open311/api-keys';
import { checkJurisdiction, fileRequest } from '../../shared/open311/use-cases';
import { render, splitDocument } from '../../shared/open311/wire';
import { postOpen311Request } from '../../shared/routes/open311';

export const handler = httpHandler(postOpen311Request, async ({ params, body }) => {
  checkJurisdiction(body.jurisdiction_id);
  const doc = splitDocument(params.document)!;
  if (doc.name !== 'requests') throw new NotFoundError('DOCUMENT_NOT_FOUND', `不能向 ${params.document} 提交`);
  const key = await authenticateKey(body.api_key);
  const r = render({ root: 'service_requests', item: 'request', value: await fileRequest(key, body) }, doc.format);
  return textReply(201, r.body, r.contentType);
});
