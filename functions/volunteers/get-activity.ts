import { httpHandler } from '../../shared/http/pipeline';
import { getActivity } from '../../shared/routes/volunteers';
import { activityDetail } from '../../shared/volunteers/use-cases';

export const handler = httpHandler(getActivity, async ({ params, principal }) => activityDetail(params.activityId, principal));
