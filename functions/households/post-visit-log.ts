import { logVisit } from '../../shared/households/use-cases';
import { httpHandler } from '../../shared/http/pipeline';
import { postVisitLog } from '../../shared/routes/households';

export const handler = httpHandler(postVisitLog, async ({ principal, params, body }) => logVisit(principal, params.visitId, body));
