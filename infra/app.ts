import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

import { type NotificationTemplate,notificationTemplates } from '../shared/notifications/templates';
import { routes } from '../shared/routes';
import { AnzhiStack } from './stack';

/** `-c wechatTemplates='{"request_status":"id",…}'` (a JSON string on the command line, an object in cdk.json). */
function templatesFrom(value: unknown): Partial<Record<NotificationTemplate, string>> | undefined {
  if (value === undefined) return undefined;
  const parsed = (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, string>;
  const unknownNames = Object.keys(parsed).filter((k) => !(notificationTemplates as readonly string[]).includes(k));
  if (unknownNames.length) throw new Error(`wechatTemplates: unknown template(s) ${unknownNames.join(', ')}; known: ${notificationTemplates.join(', ')}`);
  return parsed;
}

/** `npm run synth` / `cdk deploy`: one stack per stage; the stage comes from `-c stage=prod`. */
const app = new App();
const stage = app.node.tryGetContext('stage') === 'prod' ? 'prod' : 'dev';
new AnzhiStack(app, `Anzhi-${stage}`, {
  stage,
  routes,
  corsOrigins: (app.node.tryGetContext('corsOrigins') as string | undefined)?.split(',').filter(Boolean),
  wechatAppId: app.node.tryGetContext('wechatAppId') as string | undefined,
  wechatTemplates: templatesFrom(app.node.tryGetContext('wechatTemplates')),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
app.synth();
