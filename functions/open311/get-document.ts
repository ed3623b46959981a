import { NotFoundError } from '../../shared/errors';
import { httpHandler, textReply } from '../../shared/http/pipeline';
import { optionalKey } from '../../shared/open311/api-keys';
import { checkJurisdiction, discovery, listRequests, requestUpdates, requireKey, services } from '../../shared/open311/use-cases';
import { type Open311Document, render, splitDocument } from '../../shared/open311/wire';
import { getOpen311Document } from '../../shared/routes/open311';

/** When the service list last changed (the catalogue is code: its release). */
const changeset = '2026-11-29T00:00:00+08:00';

export const handler = httpHandler(getOpen311Document, async ({ params, query, event }) => {
  checkJurisdiction(query.jurisdiction_id);
  const doc = splitDocument(params.document);
  let out: Open311Document;
  switch (doc?.name) {
    case 'discovery': {
      const host = event.headers?.host ?? event.requestContext?.domainName ?? 'localhost';
      const scheme = event.headers?.['x-forwarded-proto'] ?? (host.startsWith('localhost') || host.startsWith('127.') ? 'http' : 'https');
      out = { root: 'discovery', value: discovery(`${scheme}://${host}`, changeset) };
      break;
    }
    case 'services':
      out = { root: 'services', item: 'service', value: services() };
      break;
    case 'requests':
      out = { root: 'service_requests', item: 'request', value: await listRequests(query, await optionalKey(query.api_key)) };
      break;
    case 'servicerequestupdates':
      out = { root: 'service_request_updates', item: 'request_update', value: await requestUpdates(requireKey(await optionalKey(query.api_key)), query) };
      break;
    default:
      throw new NotFoundError('DOCUMENT_NOT_FOUND', `没有这个文档：${params.document}`);
  }
  const r = render(out, doc.format);
  return textReply(200, r.body, r.contentType);
});
