import { httpHandler } from '../../shared/http/pipeline';
import { buildOpenApi } from '../../shared/openapi';
import { routes } from '../../shared/routes';
import { getOpenApi } from '../../shared/routes/system';

// Built once per cold start: the route table does not change while the function lives.
let document: Record<string, unknown> | undefined;

export const handler = httpHandler(getOpenApi, async () => {
  document ??= buildOpenApi(routes);
  return document;
});
