import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { routes } from '../shared/routes';
import { AnzhiStack } from './stack';

/** `npm run synth` / `cdk deploy`: one stack per stage; the stage comes from `-c stage=prod`. */
const app = new App();
const stage = app.node.tryGetContext('stage') === 'prod' ? 'prod' : 'dev';
new AnzhiStack(app, `Anzhi-${stage}`, {
  stage,
  routes,
  corsOrigins: (app.node.tryGetContext('corsOrigins') as string | undefined)?.split(',').filter(Boolean),
  wechatAppId: app.node.tryGetContext('wechatAppId') as string | undefined,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
app.synth();
