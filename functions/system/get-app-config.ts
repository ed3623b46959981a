import { isLocalStage } from '../../shared/config';
import { httpHandler } from '../../shared/http/pipeline';
import { subscribeTemplateIds } from '../../shared/notifications/notify';
import { getAppConfig } from '../../shared/routes/system';

export const handler = httpHandler(getAppConfig, async () => ({ subscribeTemplates: subscribeTemplateIds(), devLogin: isLocalStage() }));
