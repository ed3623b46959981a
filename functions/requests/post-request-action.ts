import { httpHandler } from '../../shared/http/pipeline';
import { act } from '../../shared/requests/use-cases';
import { postRequestAction } from '../../shared/routes/requests';

export const handler = httpHandler(postRequestAction, async ({ principal, params, body }) => act(principal, params.requestId, body));
