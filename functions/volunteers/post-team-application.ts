import { httpHandler } from '../../shared/http/pipeline';
import { postTeamApplication } from '../../shared/routes/volunteers';
import { applyToTeam } from '../../shared/volunteers/applications';

export const handler = httpHandler(postTeamApplication, async ({ principal, params, body }) => applyToTeam(principal, params.teamId, body));
