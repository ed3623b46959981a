import { httpHandler } from '../../shared/http/pipeline';
import { readRequest } from '../../shared/requests/use-cases';
import { getRequestDetail } from '../../shared/routes/requests';

export const handler = httpHandler(getRequestDetail, async ({ principal, params }) => readRequest(principal, params.requestId));
