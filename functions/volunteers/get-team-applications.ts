import { httpHandler } from '../../shared/http/pipeline';
import { getTeamApplications } from '../../shared/routes/volunteers';
import { teamApplications } from '../../shared/volunteers/applications';

export const handler = httpHandler(getTeamApplications, async ({ principal, params, query }) => teamApplications(principal, params.teamId, query.status, query.limit, query.cursor));
