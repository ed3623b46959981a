import { httpHandler } from '../../shared/http/pipeline';
import { consultationFigures } from '../../shared/legal/consultations';
import { getLegalFigures } from '../../shared/routes/legal';
import { beijingMonth } from '../../shared/time';

export const handler = httpHandler(getLegalFigures, async ({ query }) => consultationFigures(query.month ?? beijingMonth(new Date())));
