import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';

import { AnzhiStack } from '../../infra/stack';
import { queueList, type ScheduleDefinition,schedules, table as tableDef } from '../../shared/resources';
import { routes } from '../../shared/routes';

let template: Template;
let stack: AnzhiStack;
/** The parent stack and one nested stack per domain of routes. */
let templates: Template[];
/** Resources of a type across every template of the app. */
const findAll = (type: string) => Object.assign({}, ...templates.map((t) => t.findResources(type))) as Record<string, any>;

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
  templates = [template, ...stack.routeStacks.map((n) => Template.fromStack(n))];
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
    const fns = Object.values(findAll('AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.TABLE_NAME);
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
    const policies = Object.values(findAll('AWS::IAM::Policy'));
    const s3Statements = (fnId: string) =>
      policies
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(fnId))
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .filter((s: { Action: string | string[] }) => [s.Action].flat().some((a) => a.startsWith('s3:')))
        .map((s: { Action: string; Resource: { 'Fn::Join'?: [string, unknown[]] }; Condition?: { StringLike: Record<string, string[]> } }) =>
          s.Resource['Fn::Join'] ? `${s.Action} ${String(s.Resource['Fn::Join'][1].at(-1))}` : `${s.Action} bucket ${JSON.stringify(s.Condition?.StringLike)}`,
        );
    expect(s3Statements('postUploadFn')).toEqual(['s3:PutObject /pending/*']);
    // Listing pending/ makes a photo that never arrived a 404 rather than a 403.
    expect(s3Statements('postRequestFn')).toEqual(['s3:GetObject /pending/*', 's3:PutObject /requests/*', 's3:ListBucket bucket {"s3:prefix":["pending/*"]}']);
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
    const fns = Object.values(findAll('AWS::Lambda::Function')).filter((f) => f.Properties.Handler === 'index.handler');
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
    const apiRoutes = Object.values(findAll('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
    expect(apiRoutes.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    const integrations = Object.values(findAll('AWS::ApiGatewayV2::Integration'));
    expect(integrations.every((i) => i.Properties.PayloadFormatVersion === '2.0')).toBe(true);
  });

  it('grant read-only table access to GET routes (least privilege)', () => {
    const healthFn = stack.functions.get('getHealth')!;
    const healthRole = Stack.of(healthFn).getLogicalId(healthFn.role!.node.defaultChild as never);
    const policies = Object.values(findAll('AWS::IAM::Policy')).filter((p) =>
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

describe('least privilege from the definitions', () => {
  /** What a function's role may do: the queues it may send to, the secrets it may read, KMS, table writes. */
  const rightsOf = (name: string) => {
    const fn = stack.functions.get(name)!;
    const role = Stack.of(fn).getLogicalId(fn.role!.node.defaultChild as never);
    const statements = Object.values(findAll('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const logicalIds = (action: string) =>
      statements
        .filter((st) => [st.Action].flat().includes(action))
        .flatMap((st) => [st.Resource].flat())
        .map((r) => JSON.stringify(r).match(/"(?:Ref|Fn::GetAtt)":\[?"([A-Za-z0-9]+)"/)?.[1] ?? JSON.stringify(r));
    // Queues' logical ids start with "<id>Queue" (a nested stack's parameter hashes its path differently).
    const queueIds = new Map([...stack.queues.keys()].map((id) => [`${id}Queue`, id]));
    const secretNames: Record<string, string> = { JwtSigningSecret: 'jwt', PiiLookupHashSecret: 'piiHash', WechatAppSecret: 'wechat' };
    // In a nested stack a resource of the parent is a parameter named after it ("referencetoTest<id>Ref").
    const named = (l: string, names: Map<string, string>) => [...names].find(([id]) => l.includes(id))?.[1] ?? l;
    return {
      // A schedule's failed runs go to the schedules' DLQ (its Lambda destination), asserted with the schedules.
      sends: logicalIds('sqs:SendMessage').filter((l) => !l.startsWith('ScheduleDlq')).map((l) => named(l, queueIds)).sort(),
      secrets: logicalIds('secretsmanager:GetSecretValue').map((l) => named(l, new Map(Object.entries(secretNames)))).sort(),
      kms: statements.some((st) => [st.Action].flat().includes('kms:Decrypt')),
      writes: statements.some((st) => [st.Action].flat().includes('dynamodb:PutItem')),
    };
  };

  it('each consumer may send to exactly the queues it declares, read exactly its secrets, and nothing of the rest', () => {
    for (const q of queueList) {
      if (!q.consumer) continue;
      const rights = rightsOf(`${q.id}Consumer`);
      expect(rights, q.id).toEqual({
        sends: [...q.consumer.sends].sort(),
        secrets: q.consumer.secrets.filter((x) => x !== 'piiKey').sort(),
        kms: q.consumer.secrets.includes('piiKey'),
        writes: q.consumer.table === 'readwrite',
      });
    }
    // Concretely: only the sender reads WeChat's AppSecret; no consumer can mint tokens.
    expect(rightsOf('notificationsConsumer').secrets).toEqual(['wechat']);
    expect(rightsOf('intakeConsumer')).toMatchObject({ sends: ['dispatch', 'notifications'], secrets: [] });
  });

  it('each schedule likewise; only the outbox reconciler may send to every queue', () => {
    for (const sch of schedules as readonly ScheduleDefinition[]) {
      expect(rightsOf(`${sch.id}Schedule`), sch.id).toEqual({
        sends: [...sch.sends].sort(),
        secrets: sch.secrets.filter((x) => x !== 'piiKey').sort(),
        kms: sch.secrets.includes('piiKey'),
        writes: sch.table === 'readwrite',
      });
    }
    expect(rightsOf('outbox-reconcileSchedule').sends).toEqual(queueList.map((q) => q.id).sort());
    expect(rightsOf('sla-sweepSchedule').sends).toEqual(['dispatch', 'notifications']);
  });

  it('no policy of the parent or route stacks grants anything on every resource but X-Ray\'s trace writes (no resource-level permissions exist for them; the console stack\'s CDK deployment handler is suppressed there)', () => {
    const onEveryResource = Object.values(findAll('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
      .filter((st) => [st.Resource].flat().includes('*'))
      .flatMap((st) => [st.Action].flat());
    expect(onEveryResource.length).toBeGreaterThan(0);
    expect([...new Set(onEveryResource)].sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('routes: every one verifies tokens (jwt) and meets personal data; only the WeChat login reads the AppSecret', () => {
    for (const r of routes) {
      const rights = rightsOf(r.id);
      expect(rights.sends, r.id).toEqual([...(r.sends ?? [])].sort());
      expect(rights.secrets, r.id).toEqual(r.id === 'postAuthWechat' ? ['jwt', 'piiHash', 'wechat'] : ['jwt', 'piiHash']);
    }
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
  it('has no unsuppressed findings, in the parent stack nor in any nested one', () => {
    // The nested stacks' findings are reported on the parent's artifact, under their own paths.
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(errors.map((e) => `${e.id}: ${String(e.entry.data).slice(0, 80)}`)).toEqual([]);
    expect(warnings.map((e) => `${e.id}: ${String(e.entry.data).slice(0, 80)}`)).toEqual([]);
    // Each nested stack carries the same justified suppressions (and nothing broader).
    for (const nested of stack.routeStacks) {
      const rules = Template.fromStack(nested).toJSON().Metadata.cdk_nag.rules_to_suppress.map((r: { id: string }) => r.id);
      expect(rules.sort()).toEqual(['AwsSolutions-APIG4', 'AwsSolutions-IAM4', 'AwsSolutions-IAM5', 'AwsSolutions-L1']);
    }
  });
});

describe('a stack that can grow', () => {
  it('keeps routes in one nested stack per domain, every template well under CloudFormation\'s 500 resources', () => {
    expect(stack.routeStacks.map((n) => n.node.id).sort()).toEqual([...new Set(routes.map((r) => `${r.tag}Routes`))].sort());
    for (const t of templates) expect(Object.keys(t.toJSON().Resources).length).toBeLessThan(400);
    // Room to double: the parent holds no per-route resources at all.
    expect(Object.keys(template.findResources('AWS::ApiGatewayV2::Route'))).toEqual([]);
  });
});

describe('operations: the on-call engineer is told', () => {
  const alarmsOn = (metric: string) => Object.values(findAll('AWS::CloudWatch::Alarm')).filter((a) => a.Properties.MetricName === metric);

  it('alarms on errors and on throttles of every function (routes, consumers, schedules), to the on-call topic', () => {
    const functionNames = (metric: string) => alarmsOn(metric).map((a) => JSON.stringify(a.Properties.Dimensions[0].Value));
    expect(stack.functions.size).toBe(routes.length + queueList.filter((q) => q.consumer).length + schedules.length);
    for (const metric of ['Errors', 'Throttles']) {
      const named = functionNames(metric);
      expect(named).toHaveLength(stack.functions.size);
      for (const [id, fn] of stack.functions) {
        const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as never);
        expect(named.some((n) => n.includes(logicalId)), `${metric} alarm of ${id}`).toBe(true);
      }
      for (const a of alarmsOn(metric)) {
        expect(a.Properties).toMatchObject({ Threshold: 1, Statistic: 'Sum', Period: 300, EvaluationPeriods: 1 });
        expect(JSON.stringify(a.Properties.AlarmActions)).toMatch(/OnCallAlarms/i);
      }
    }
  });

  it('alarms on the API\'s 5xx rate and p99 latency, DynamoDB throttles and system errors, and the schedules\' DLQ', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const described = (text: string) => alarms.find((a) => String(a.Properties.AlarmDescription).includes(text))!;
    const fiveXx = described('5xx');
    expect(fiveXx.Properties).toMatchObject({ Threshold: 5, EvaluationPeriods: 2, ComparisonOperator: 'GreaterThanThreshold' });
    expect(fiveXx.Properties.Metrics.find((m: { Expression?: string }) => m.Expression).Expression).toBe('IF(requests > 0, 100 * errors / requests, 0)');
    expect(described('p99').Properties).toMatchObject({ MetricName: 'Latency', ExtendedStatistic: 'p99', Threshold: 3000, Namespace: 'AWS/ApiGateway' });
    expect(JSON.stringify(described('DynamoDB throttled').Properties.Metrics)).toContain('ThrottledRequests');
    expect(JSON.stringify(described('service-side').Properties.Metrics)).toContain('SystemErrors');
    expect(described('scheduled run failed').Properties.Dimensions[0].Value['Fn::GetAtt'][0]).toMatch(/^ScheduleDlq/);
    for (const a of alarms) expect(JSON.stringify(a.Properties.AlarmActions), String(a.Properties.AlarmDescription)).toMatch(/OnCallAlarms/);
  });

  it('sends a schedule run that failed all its retries to the schedules\' DLQ instead of dropping it', () => {
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig'));
    expect(configs).toHaveLength(schedules.length);
    for (const c of configs) {
      expect(c.Properties).toMatchObject({ MaximumRetryAttempts: 2 });
      expect(c.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0]).toMatch(/^ScheduleDlq/);
    }
  });

  it('caps the concurrency of the intake, notifications, exports and imports consumers', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    const caps = mappings.map((m) => m.Properties.ScalingConfig?.MaximumConcurrency).filter(Boolean).sort((a, b) => a - b);
    const cap = (id: string) => queueList.find((q) => q.id === id)!.consumer!.maxConcurrency;
    expect(caps).toEqual([cap('exports'), cap('imports'), cap('notifications'), cap('intake')]);
  });

  it('has a dashboard with the API, the business metrics, the DLQs and the alarms', () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard!.Properties.DashboardBody);
    for (const text of ['API latency', 'RequestsSubmitted', 'RoutingLatency', 'VolunteerSignUps', 'Dead-letter queues', 'alarm']) expect(body).toContain(text);
  });

  it('retains the PII lookup-hash secret with the table in prod', () => {
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ Description: 'HMAC key of the lookup hashes of phone and ID numbers' }) });
  });
});

describe('a stack for another stage', () => {
  it('refuses to synthesize without the mini-program\'s AppID, saying how to give it', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-test-')), context: { 'aws:cdk:bundling-stacks': [] } });
    expect(() => new AnzhiStack(app, 'NoAppId', { stage: 'dev', routes })).toThrow(/needs the mini-program's AppID: cdk deploy -c stage=dev -c wechatAppId=wx…/);
    expect(() => new AnzhiStack(app, 'EmptyAppId', { stage: 'dev', routes, wechatAppId: '' })).toThrow(/AppID/);
  });

  it('lets a dev stack be destroyed with its photos (auto-delete), while prod keeps them', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-test-')), context: { 'aws:cdk:bundling-stacks': [] } });
    const dev = new AnzhiStack(app, 'Dev', { stage: 'dev', routes, wechatAppId: 'wx0123456789abcdef' });
    const devTemplate = Template.fromStack(dev);
    expect(Object.keys(devTemplate.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(1);
    expect(Object.keys(template.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(0);
  });
});

describe('the console site', () => {
  const consoleTemplate = () => Template.fromStack(stack.console);
  it('is a private bucket that only the distribution reads (origin access control), with the console deployed under /console/', () => {
    const t = consoleTemplate();
    t.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'site/' }),
    });
    t.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' }, Condition: Match.objectLike({ StringEquals: Match.anyValue() }) })]),
      }),
    });
    t.hasResourceProperties('Custom::CDKBucketDeployment', { DestinationBucketKeyPrefix: 'console/' });
  });

  it('sends /v1/* to the HttpApi uncached with every header but Host, and answers the site with the security headers', () => {
    const t = consoleTemplate();
    const dist = Object.values(t.findResources('AWS::CloudFront::Distribution'))[0] as any;
    const behaviours = dist.Properties.DistributionConfig.CacheBehaviors as any[];
    expect(behaviours.map((b) => b.PathPattern)).toEqual(['/v1/*']);
    expect(behaviours[0]).toMatchObject({
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
      ViewerProtocolPolicy: 'https-only',
    });
    expect(dist.Properties.DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    t.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: { ContentSecurityPolicy: Match.anyValue(), Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 63072000 }),
        }),
      }),
    });
    // Scripts from the site alone; the page may talk to its origin and to the photo bucket (where a
    // roster file is posted), whose regional domain the parent stack passes in — and nothing else.
    const policy = Object.values(t.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0] as any;
    const csp = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy;
    const [joiner, parts] = csp['Fn::Join'] as [string, unknown[]];
    expect(joiner).toBe('');
    expect(parts).toHaveLength(3);
    expect(parts[0]).toMatch(/script-src 'self';.*connect-src 'self' https:\/\/$/);
    expect(JSON.stringify(parts[1])).toMatch(/PhotoBucket.*RegionalDomainName/);
    expect(parts[2]).toMatch(/^; font-src 'self';.*frame-ancestors 'none'/);
  });
});
