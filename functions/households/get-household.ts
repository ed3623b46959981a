import { householdDetail } from '../../shared/households/use-cases';
import { httpHandler } from '../../shared/http/pipeline';
import { getHousehold } from '../../shared/routes/households';

export const handler = httpHandler(getHousehold, async ({ principal, params }) => householdDetail(principal, params.householdId));
