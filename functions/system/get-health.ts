import { httpHandler, reply } from '../../shared/http/pipeline';
import { getHealth } from '../../shared/routes/system';
import { checkHealth } from '../../shared/system/health';

export const handler = httpHandler(getHealth, async () => {
  const health = await checkHealth();
  // 503 lets a load balancer or uptime check see a broken dependency without parsing the body.
  return reply(getHealth, health.status === 'ok' ? 200 : 503, health);
});
