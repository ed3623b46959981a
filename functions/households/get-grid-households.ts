import { gridHouseholds } from '../../shared/households/use-cases';
import { httpHandler } from '../../shared/http/pipeline';
import { getGridHouseholds } from '../../shared/routes/households';

export const handler = httpHandler(getGridHouseholds, async ({ principal, params, query }) => gridHouseholds(principal, params.gridId, query));
