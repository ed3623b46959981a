import { httpHandler } from '../../shared/http/pipeline';
import { getMyGrid } from '../../shared/routes/identity';
import { myGrid } from '../../shared/users/use-cases';

export const handler = httpHandler(getMyGrid, async ({ principal }) => myGrid(principal));
