import { httpHandler } from '../../shared/http/pipeline';
import { postContactReveal } from '../../shared/routes/identity';
import { revealContact } from '../../shared/users/use-cases';

export const handler = httpHandler(postContactReveal, async ({ principal, params, body }) =>
  revealContact(principal, params.userId, body.field, body.reason),
);
