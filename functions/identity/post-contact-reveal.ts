import { httpHandler } from '../../shared/http/pipeline';
import { revealPartnerCaller } from '../../shared/open311/use-cases';
import { postContactReveal } from '../../shared/routes/identity';
import { revealContact } from '../../shared/users/use-cases';

export const handler = httpHandler(postContactReveal, async ({ principal, params, body }) =>
  // A request filed by the 12345 hotline or a partner names its caller, not a user of the app.
  params.userId.startsWith('partner-') ? revealPartnerCaller(principal, params.userId, body.requestId, body.reason) : revealContact(principal, params.userId, body.field, body.reason, body.slotId),
);
