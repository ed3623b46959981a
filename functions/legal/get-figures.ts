import { httpHandler } from '../../shared/http/pipeline';
import { legalFigures } from '../../shared/legal/figures';
import { getLegalFigures } from '../../shared/routes/legal';
import { beijingMonth } from '../../shared/time';

export const handler = httpHandler(getLegalFigures, async ({ query }) => legalFigures(query.month ?? beijingMonth(new Date())));
