import { NestedStack, type NestedStackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

import type { RouteDefinition } from '../shared/http/route';
import { type Grant,routeGrant } from '../shared/system/grants';
import { FunctionAlarms } from './alarms';
import { AppFunction } from './app-function';

/** What a domain's routes need from the stack that holds the data, the queues and the API. */
export interface RouteStackContext {
  api: apigw.IHttpApi;
  sharedEnvironment: Record<string, string>;
  alarmTopic: sns.ITopic;
  /** Object ARNs of the photo bucket's prefixes. */
  photoObjects: { pending: string; attached: string; exports: string; imports: string; agreements: string };
  /** Exactly what the route declares: table access, queues, secrets. */
  grantDeclared(fn: AppFunction, grant: Grant): void;
  /** Grants a route needs beyond its declaration (health's queue depths, the photo bucket's listing). */
  grantExtra(routeId: string, fn: AppFunction): void;
}

/** The CJK font an agreement PDF is set in, and where the function finds it. */
const agreementFont = { from: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', to: 'fonts/NotoSansCJK-Regular.ttc' } as const;

/**
 * One domain's routes (a nested stack each): per route its function with least-privilege grants
 * from the route table, its HTTP API route and integration, and its alarms. CloudFormation allows
 * 500 resources a stack; a route costs 9 (function, role, policy, log group, integration, route,
 * permission, two alarms), so the routes live here, one stack per domain, and the API can grow.
 */
export class RoutesStack extends NestedStack {
  readonly functions = new Map<string, AppFunction>();

  constructor(scope: Construct, id: string, routes: readonly RouteDefinition[], ctx: RouteStackContext, props?: NestedStackProps) {
    super(scope, id, props);
    for (const r of routes) {
      const fn = new AppFunction(this, `${r.id}Fn`, {
        entry: r.handler,
        description: `${r.method} ${r.path}`,
        sharedEnvironment: ctx.sharedEnvironment,
        // An agreement is printed in Noto Sans CJK: the function carries the font (Debian's fonts-noto-cjk on the deploying machine).
        ...(r.photos === 'agreement' ? { files: [agreementFont], environment: { CJK_FONT_PATH: `/var/task/${agreementFont.to}` } } : {}),
      });
      ctx.grantDeclared(fn, routeGrant(r));
      // A presigned URL acts with the signer's rights: the upload route may put, readers may get.
      if (r.photos === 'upload') fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [ctx.photoObjects.pending] }));
      if (r.photos === 'attach') {
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [ctx.photoObjects.pending] }));
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [ctx.photoObjects.attached] }));
      }
      if (r.photos === 'read') fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [ctx.photoObjects.attached] }));
      if (r.photos === 'export') fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [ctx.photoObjects.exports] }));
      // An import presigns the file's upload and, to start, finds it there (HeadObject needs GetObject).
      if (r.photos === 'import') fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [ctx.photoObjects.imports] }));
      if (r.photos === 'agreement') fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [ctx.photoObjects.agreements] }));
      ctx.grantExtra(r.id, fn);
      new apigw.HttpRoute(this, `${r.id}Route`, {
        httpApi: ctx.api,
        routeKey: apigw.HttpRouteKey.with(r.path, apigw.HttpMethod[r.method]),
        integration: new HttpLambdaIntegration(`${r.id}Integration`, fn, { payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0 }),
      });
      new FunctionAlarms(this, `${r.id}Alarms`, fn, `${r.method} ${r.path}`, ctx.alarmTopic);
      this.functions.set(r.id, fn);
    }
  }
}
