import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Aspects } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnzhiStack } from '../../infra/stack';
import { queueList, schedules, table as tableDef } from '../../shared/resources';
import { routes } from '../../shared/routes';

let template: Template;
let stack: AnzhiStack;

beforeAll(() => {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'cdk-test-')),
    // Skips esbuild: these tests look at the template, not at the bundles.
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  stack = new AnzhiStack(app, 'Test', { stage: 'prod', routes, wechatAppId: 'wx0123456789abcdef', wechatTemplates: { request_status: 'tmpl-status-id', application_status: 'tmpl-app-id' } });
  Aspects.of(app).add(new AwsSolutionsChecks());
  app.synth({ validateOnSynthesis: false });
  template = Template.fromStack(stack);
});

describe('the table', () => {
  it('is on-demand, with PITR, TTL, encryption, deletion protection and every index of the shared definition', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: tableDef.ttlAttribute, Enabled: true },
        DeletionProtectionEnabled: true,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: tableDef.indexes.map((i) =>
          Match.objectLike({
            IndexName: i.name,
            KeySchema: [
              { AttributeName: i.partitionKey, KeyType: 'HASH' },
              { AttributeName: i.sortKey, KeyType: 'RANGE' },
            ],
          }),
        ),
      }),
    });
  });
});

describe('WeChat subscribe messages', () => {
  it('give every function the template ids from context, for the sender and for GET /v1/app-config', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.TABLE_NAME);
    expect(fns.length).toBeGreaterThan(40);
    for (const f of fns) {
      expect(f.Properties.Environment.Variables).toMatchObject({ WECHAT_APP_ID: 'wx0123456789abcdef', WECHAT_TEMPLATE_REQUEST_STATUS: 'tmpl-status-id', WECHAT_TEMPLATE_APPLICATION_STATUS: 'tmpl-app-id' });
      expect(f.Properties.Environment.Variables.WECHAT_TEMPLATE_SIGNUP_STATUS).toBeUndefined();
    }
  });
});

describe('the photo bucket', () => {
  it('is private, encrypted, TLS only, pending uploads expire; each route gets one action on one prefix', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: 'pending/', ExpirationInDays: 2, Status: 'Enabled' })]) },
    });
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const s3Statements = (fnId: string) =>
      policies
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(fnId))
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .filter((s: { Action: string | string[] }) => [s.Action].flat().some((a) => a.startsWith('s3:')))
        .map((s: { Action: string; Resource: { 'Fn::Join': [string, unknown[]] } }) => `${s.Action} ${String(s.Resource['Fn::Join'][1].at(-1))}`);
    expect(s3Statements('postUploadFn')).toEqual(['s3:PutObject /pending/*']);
    expect(s3Statements('postRequestFn')).toEqual(['s3:GetObject /pending/*', 's3:PutObject /requests/*']);
    expect(s3Statements('getRequestDetailFn')).toEqual(['s3:GetObject /requests/*']);
    expect(s3Statements('getJobsFn')).toEqual([]);
  });
});

describe('the queues', () => {
  it('each redrive to their own DLQ after the defined maxReceiveCount, encrypted, TLS only', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    for (const def of queueList) {
      const [id, q] = Object.entries(queues).find(([key]) => key.startsWith(`${def.id}Queue`))!;
      expect(q.Properties.RedrivePolicy.maxReceiveCount, id).toBe(def.maxReceiveCount);
      expect(q.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]).toMatch(new RegExp(`^${def.id}Dlq`));
      expect(q.Properties.SqsManagedSseEnabled).toBe(true);
      expect(Boolean(q.Properties.FifoQueue)).toBe(def.fifo);
    }
    const policies = template.findResources('AWS::SQS::QueuePolicy');
    const denies = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement).filter((s) => s.Effect === 'Deny');
    expect(denies.every((s) => s.Condition.Bool['aws:SecureTransport'] === 'false')).toBe(true);
  });

  it('alarm when a message lands in any DLQ, notifying the on-call topic', () => {
    for (const def of queueList) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${def.id}Dlq`), 'QueueName'] } }],
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^OnCallAlarms') }],
      });
    }
  });
});

describe('the functions', () => {
  it('run Node.js 22 on arm64 with source maps and the shared environment', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (f) => f.Properties.Handler === 'index.handler',
    );
    expect(fns.length).toBeGreaterThanOrEqual(routes.length + schedules.length);
    for (const f of fns) {
      expect(f.Properties.Runtime).toBe('nodejs22.x');
      expect(f.Properties.Architectures).toEqual(['arm64']);
      expect(f.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      expect(f.Properties.Environment.Variables.STAGE).toBe('prod');
      expect(Object.keys(f.Properties.Environment.Variables)).toEqual(expect.arrayContaining(queueList.map((q) => q.urlEnv)));
    }
  });

  it('serve every route of the route table through the HTTP API with payload 2.0', () => {
    const apiRoutes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
    expect(apiRoutes.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration'));
    expect(integrations.every((i) => i.Properties.PayloadFormatVersion === '2.0')).toBe(true);
  });

  it('grant read-only table access to GET routes (least privilege)', () => {
    const healthRole = stack.getLogicalId(stack.functions.get('getHealth')!.role!.node.defaultChild as never);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      p.Properties.Roles.some((r: { Ref: string }) => r.Ref === healthRole),
    );
    const actions = policies.flatMap((p) => p.Properties.PolicyDocument.Statement).flatMap((s) => [s.Action].flat());
    expect(actions).toContain('dynamodb:GetItem');
    expect(actions).not.toContain('dynamodb:PutItem');
    expect(actions).not.toContain('dynamodb:DeleteItem');
    expect(actions).not.toContain('sqs:SendMessage');
    expect(actions).toContain('sqs:GetQueueAttributes');
  });
});

describe('the schedules', () => {
  it('run in Asia/Shanghai with a retry policy and a DLQ', () => {
    for (const s of schedules) {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: s.expression,
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        Target: Match.objectLike({ RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }), DeadLetterConfig: Match.anyValue() }),
      });
    }
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('has no unsuppressed findings', () => {
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(errors.map((e) => `${e.id}: ${String(e.entry.data).slice(0, 80)}`)).toEqual([]);
    expect(warnings.map((e) => `${e.id}: ${String(e.entry.data).slice(0, 80)}`)).toEqual([]);
  });
});
