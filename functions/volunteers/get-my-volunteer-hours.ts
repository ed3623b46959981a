import { httpHandler } from '../../shared/http/pipeline';
import { getMyVolunteerHours } from '../../shared/routes/volunteers';
import { myHours } from '../../shared/volunteers/use-cases';

export const handler = httpHandler(getMyVolunteerHours, async ({ principal }) => myHours(principal));
