import { httpHandler } from '../../shared/http/pipeline';
import { getMe } from '../../shared/routes/identity';
import { getMe as readMe } from '../../shared/users/use-cases';

export const handler = httpHandler(getMe, async ({ principal }) => readMe(principal));
