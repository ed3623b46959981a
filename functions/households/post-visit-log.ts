import { httpHandler } from '../../shared/http/pipeline';
import { logVisit } from '../../shared/households/use-cases';
import { postVisitLog } from '../../shared/routes/households';

export const handler = httpHandler(postVisitLog, async ({ principal, params, body }) => logVisit(principal, params.visitId, body));
