import { updateHousehold } from '../../shared/households/use-cases';
import { httpHandler } from '../../shared/http/pipeline';
import { patchHousehold } from '../../shared/routes/households';

export const handler = httpHandler(patchHousehold, async ({ principal, params, body }) => updateHousehold(principal, params.householdId, body));
