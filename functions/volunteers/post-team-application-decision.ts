import { httpHandler } from '../../shared/http/pipeline';
import { postTeamApplicationDecision } from '../../shared/routes/volunteers';
import { decideApplication } from '../../shared/volunteers/applications';

export const handler = httpHandler(postTeamApplicationDecision, async ({ principal, params, body }) => decideApplication(principal, params.teamId, params.userId, body));
