import { httpHandler } from '../../shared/http/pipeline';
import { submitRequest } from '../../shared/requests/use-cases';
import { postRequest } from '../../shared/routes/requests';

export const handler = httpHandler(postRequest, async ({ principal, body, idempotencyKey }) => submitRequest(principal, body, idempotencyKey));
