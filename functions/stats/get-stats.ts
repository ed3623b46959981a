import { httpHandler } from '../../shared/http/pipeline';
import { getStats } from '../../shared/routes/requests';
import { readFigures } from '../../shared/stats/figures';

export const handler = httpHandler(getStats, async ({ principal, query }) => readFigures(principal, query));
