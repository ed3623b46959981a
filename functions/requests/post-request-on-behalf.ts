import { httpHandler } from '../../shared/http/pipeline';
import { submitOnBehalf } from '../../shared/requests/use-cases';
import { postRequestOnBehalf } from '../../shared/routes/requests';

export const handler = httpHandler(postRequestOnBehalf, async ({ principal, params, body: { personId, ...input }, idempotencyKey }) =>
  submitOnBehalf(principal, params.householdId, personId, input, idempotencyKey),
);
