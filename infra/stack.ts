import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambdaDestinations from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';

import type { RouteDefinition } from '../shared/http/route';
import { type NotificationTemplate,templateEnv } from '../shared/notifications/templates';
import { photoBucket, type QueueDefinition, type QueueId,queueList, schedules, scheduleTimeZone, table as tableDef } from '../shared/resources';
import { declaredGrant, type Grant } from '../shared/system/grants';
import { FunctionAlarms, notifyOnCall } from './alarms';
import { AppFunction } from './app-function';
import { ConsoleStack } from './console-stack';
import { RoutesStack, type RouteStackContext } from './routes-stack';

export interface AnzhiStackProps extends StackProps {
  stage: 'dev' | 'prod';
  routes: readonly RouteDefinition[];
  /** Origins allowed by CORS (the mini-program itself needs none). */
  corsOrigins?: string[];
  /** The mini-program's AppID (its AppSecret lives in Secrets Manager). */
  wechatAppId?: string;
  /** Subscribe-message template ids from the WeChat console, by template (`-c wechatTemplates='{"request_status":"…"}'`). */
  wechatTemplates?: Partial<Record<NotificationTemplate, string>>;
}

/** The whole system in AWS, built from the same route table and resource definitions as the local runtime. */
export class AnzhiStack extends Stack {
  readonly table: dynamodb.Table;
  readonly queues = new Map<QueueId, { queue: sqs.Queue; dlq: sqs.Queue }>();
  readonly api: apigw.HttpApi;
  readonly functions = new Map<string, AppFunction>();
  readonly routeStacks: RoutesStack[] = [];
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly console: ConsoleStack;

  constructor(scope: Construct, id: string, props: AnzhiStackProps) {
    super(scope, id, props);
    const prod = props.stage === 'prod';
    if (!props.wechatAppId || !/^wx[0-9a-f]{16}$/.test(props.wechatAppId)) {
      // Without it every login fails in AWS; better a clear refusal at synth than a silent outage.
      throw new Error(
        `The ${props.stage} stage needs the mini-program's AppID: cdk deploy -c stage=${props.stage} -c wechatAppId=wx… (16 hex digits after "wx"); got ${JSON.stringify(props.wechatAppId ?? '')}`,
      );
    }

    // --- Data -------------------------------------------------------------------------------
    this.table = new dynamodb.Table(this, tableDef.id, {
      partitionKey: { name: tableDef.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: tableDef.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: tableDef.ttlAttribute,
      deletionProtection: prod,
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of tableDef.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    // Residents' photos: private; uploads by presigned POST, reads by presigned GET (shared/photos).
    const photoStore = new s3.Bucket(this, 'PhotoBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: false,
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      // A dev stack can be destroyed with its test photos in it.
      autoDeleteObjects: !prod,
      lifecycleRules: [
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Uploads no request cited: gone after a couple of days.
        { prefix: photoBucket.uploadPrefix, expiration: Duration.days(photoBucket.pendingDays) },
        // Console exports are read through 5-minute links the day they are made.
        { prefix: photoBucket.exportPrefix, expiration: Duration.days(photoBucket.exportDays) },
        // Roster files uploaded for an import job are kept a week (the job's record says what happened).
        { prefix: photoBucket.importPrefix, expiration: Duration.days(photoBucket.importDays) },
      ],
      // The console posts a roster file straight from the browser. Any origin may POST: every POST
      // must carry a policy the API signed for one signed-in member of staff, one key and 30 MB,
      // so the origin adds nothing (and naming the console's CloudFront domain here would tie
      // this bucket and the console's stack into a cycle: its CSP names this bucket).
      cors: [{ allowedMethods: [s3.HttpMethods.POST], allowedOrigins: ['*'], allowedHeaders: ['*'], maxAge: 3600 }],
    });
    NagSuppressions.addResourceSuppressions(photoStore, [
      {
        id: 'AwsSolutions-S1',
        reason: 'Objects are reachable only through presigned URLs that the API issues to callers it has authorised (reads of private requests are audited in the table); enable CloudTrail S3 data events for object-level records rather than server access logs.',
      },
    ]);

    // Personal numbers (phone, ID) are encrypted with data keys under this key.
    const piiKey = new kms.Key(this, 'PiiKey', { enableKeyRotation: true, description: 'Data keys for residents\' phone and ID numbers' });
    const jwtSecret = new secrets.Secret(this, 'JwtSigningSecret', {
      description: 'HMAC key that signs API session tokens',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    const piiHashSecret = new secrets.Secret(this, 'PiiLookupHashSecret', {
      description: 'HMAC key of the lookup hashes of phone and ID numbers',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      // The table is retained in prod; its stored hashes are worthless without this key.
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const wechatSecret = new secrets.Secret(this, 'WechatAppSecret', {
      description: 'WeChat mini-program AppSecret (set the value after the first deploy)',
    });

    // --- On-call alarms ---------------------------------------------------------------------
    const alarmTopic = new sns.Topic(this, 'OnCallAlarms', {
      enforceSSL: true,
      masterKey: kms.Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
    });

    // --- Queues -----------------------------------------------------------------------------
    for (const def of queueList) {
      const dlq = new sqs.Queue(this, `${def.id}Dlq`, {
        fifo: def.fifo || undefined,
        retentionPeriod: Duration.days(14),
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      const queue = new sqs.Queue(this, `${def.id}Queue`, {
        fifo: def.fifo || undefined,
        contentBasedDeduplication: def.fifo ? false : undefined,
        visibilityTimeout: Duration.seconds((def.consumer?.timeoutSeconds ?? 5) * 6),
        retentionPeriod: Duration.days(def.retentionDays),
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        deadLetterQueue: { queue: dlq, maxReceiveCount: def.maxReceiveCount },
      });
      this.dlqAlarm(`${def.id}DlqAlarm`, dlq, `Messages of the ${def.id} queue failed ${def.maxReceiveCount} times and wait in its DLQ (fix, then npm run redrive -- ${def.id})`, alarmTopic);
      this.queues.set(def.id as QueueId, { queue, dlq });
    }

    const sharedEnvironment: Record<string, string> = {
      STAGE: props.stage,
      TABLE_NAME: this.table.tableName,
      JWT_SECRET_ARN: jwtSecret.secretArn,
      WECHAT_SECRET_ARN: wechatSecret.secretArn,
      PII_KEY_ID: piiKey.keyId,
      PII_HASH_SECRET_ARN: piiHashSecret.secretArn,
      WECHAT_APP_ID: props.wechatAppId ?? '',
      CORS_ORIGINS: (props.corsOrigins ?? []).join(','),
      [photoBucket.envVar]: photoStore.bucketName,
      ...Object.fromEntries(Object.entries(props.wechatTemplates ?? {}).map(([t, id]) => [templateEnv(t as NotificationTemplate), id])),
    };
    for (const def of queueList) sharedEnvironment[def.urlEnv] = this.queues.get(def.id as QueueId)!.queue.queueUrl;

    /** Grants a function exactly what it declares (shared/system/grants.ts): table, queues, secrets. */
    const grantDeclared = (fn: AppFunction, grant: Grant) => {
      if (grant.table === 'read') this.table.grantReadData(fn);
      else this.table.grantReadWriteData(fn);
      for (const q of grant.sends) this.queues.get(q)!.queue.grantSendMessages(fn);
      for (const secret of grant.secrets) {
        if (secret === 'jwt') jwtSecret.grantRead(fn);
        if (secret === 'piiHash') piiHashSecret.grantRead(fn);
        if (secret === 'piiKey') piiKey.grant(fn, 'kms:GenerateDataKey', 'kms:Decrypt');
        if (secret === 'wechat') wechatSecret.grantRead(fn);
      }
    };

    // --- HTTP API ---------------------------------------------------------------------------
    this.api = new apigw.HttpApi(this, 'HttpApi', {
      createDefaultStage: false,
      corsPreflight: props.corsOrigins?.length
        ? {
            allowOrigins: props.corsOrigins,
            allowHeaders: ['content-type', 'authorization', 'idempotency-key'],
            allowMethods: [apigw.CorsHttpMethod.ANY],
            maxAge: Duration.minutes(10),
          }
        : undefined,
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.THREE_MONTHS });
    const stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 500, burstLimit: 1000 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    // Routes: one nested stack per domain of the route table (see infra/routes-stack.ts).
    const byDomain = new Map<string, RouteDefinition[]>();
    for (const r of props.routes) byDomain.set(r.tag, [...(byDomain.get(r.tag) ?? []), r]);
    const routeContext: RouteStackContext = {
      api: this.api,
      sharedEnvironment,
      alarmTopic,
      photoObjects: {
        pending: photoStore.arnForObjects(`${photoBucket.uploadPrefix}*`),
        attached: photoStore.arnForObjects(`${photoBucket.attachedPrefix}*`),
        exports: photoStore.arnForObjects(`${photoBucket.exportPrefix}*`),
        imports: photoStore.arnForObjects(`${photoBucket.importPrefix}*`),
        agreements: photoStore.arnForObjects(`${photoBucket.agreementPrefix}*`),
      },
      grantDeclared,
      grantExtra: (routeId, fn) => {
        // The health route reads every queue's depth.
        if (routeId === 'getHealth') for (const { queue } of this.queues.values()) queue.grant(fn, 'sqs:GetQueueAttributes');
        // Attaching photos copies from pending/: with the right to list it, a photo that never
        // arrived is a 404 NoSuchKey rather than a 403.
        if (props.routes.find((r) => r.id === routeId)?.photos === 'attach') {
          fn.addToRolePolicy(
            new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [photoStore.bucketArn], conditions: { StringLike: { 's3:prefix': [`${photoBucket.uploadPrefix}*`] } } }),
          );
        }
        // Starting an import looks for its file: with the listing, a file not there is a 404.
        if (props.routes.find((r) => r.id === routeId)?.photos === 'import') {
          fn.addToRolePolicy(
            new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [photoStore.bucketArn], conditions: { StringLike: { 's3:prefix': [`${photoBucket.importPrefix}*`] } } }),
          );
        }
      },
    };
    for (const [domain, domainRoutes] of byDomain) {
      const nested = new RoutesStack(this, `${domain}Routes`, domainRoutes, routeContext);
      this.routeStacks.push(nested);
      for (const [routeId, fn] of nested.functions) this.functions.set(routeId, fn);
    }

    // --- Queue consumers --------------------------------------------------------------------
    for (const def of queueList as QueueDefinition[]) {
      if (!def.consumer) continue;
      const { queue } = this.queues.get(def.id as QueueId)!;
      const fn = new AppFunction(this, `${def.id}ConsumerFn`, {
        entry: def.consumer.handler,
        timeoutSeconds: def.consumer.timeoutSeconds,
        description: `Consumer of the ${def.id} queue`,
        sharedEnvironment,
      });
      grantDeclared(fn, declaredGrant(`${def.id}Consumer`, def.consumer));
      // One object-level action on one prefix of the bucket, as declared: the exports consumer writes
      // the CSV files it builds, the imports consumer reads the roster files staff uploaded.
      const storage = def.consumer.storage;
      if (storage && 'writes' in storage) fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [photoStore.arnForObjects(`${storage.writes}*`)] }));
      if (storage && 'reads' in storage) fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [photoStore.arnForObjects(`${storage.reads}*`)] }));
      fn.addEventSource(
        new SqsEventSource(queue, {
          batchSize: def.consumer.batchSize,
          reportBatchItemFailures: true,
          ...(def.fifo ? {} : { maxBatchingWindow: Duration.seconds(def.consumer.maxBatchingWindowSeconds ?? 0) }),
          // A burst of submissions or notifications must not take every concurrent execution of
          // the account from the API (FIFO queues are bounded by their message groups already).
          ...(def.consumer.maxConcurrency ? { maxConcurrency: def.consumer.maxConcurrency } : {}),
        }),
      );
      new FunctionAlarms(this, `${def.id}ConsumerAlarms`, fn, `The ${def.id} queue's consumer`, alarmTopic);
      this.functions.set(`${def.id}Consumer`, fn);
    }

    // --- Schedules --------------------------------------------------------------------------
    const scheduleDlq = new sqs.Queue(this, 'ScheduleDlq', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    for (const s of schedules) {
      const fn = new AppFunction(this, `${s.id}ScheduleFn`, {
        entry: s.handler,
        timeoutSeconds: s.timeoutSeconds,
        description: s.description,
        sharedEnvironment,
      });
      grantDeclared(fn, declaredGrant(`${s.id}Schedule`, s));
      // The scheduler invokes asynchronously: a run that throws is retried by Lambda, then kept
      // in the schedules' DLQ (which alarms) instead of being dropped.
      fn.configureAsyncInvoke({ onFailure: new lambdaDestinations.SqsDestination(scheduleDlq), retryAttempts: 2, maxEventAge: Duration.hours(1) });
      new FunctionAlarms(this, `${s.id}ScheduleAlarms`, fn, `The ${s.id} schedule`, alarmTopic);
      new scheduler.Schedule(this, `${s.id}Schedule`, {
        description: s.description,
        schedule: scheduler.ScheduleExpression.expression(s.expression, TimeZone.of(scheduleTimeZone)),
        target: new LambdaInvoke(fn, {
          input: scheduler.ScheduleTargetInput.fromObject({ scheduleId: s.id, scheduledTime: scheduler.ContextAttribute.scheduledTime }),
          deadLetterQueue: scheduleDlq,
          retryAttempts: 2,
        }),
      });
      this.functions.set(`${s.id}Schedule`, fn);
    }

    // --- Console ----------------------------------------------------------------------------
    this.console = new ConsoleStack(this, 'Console', { api: this.api, prod, uploadDomain: photoStore.bucketRegionalDomainName });

    this.dlqAlarm('ScheduleDlqAlarm', scheduleDlq, 'A scheduled run failed after its retries (or could not be invoked): see the message in the schedules\' DLQ', alarmTopic);
    this.operationsAlarms(alarmTopic);
    this.dashboard();

    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'ConsoleUrl', { value: `https://${this.console.distribution.distributionDomainName}/console/` });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topicArn });
    new CfnOutput(this, 'PhotoBucketName', { value: photoStore.bucketName });
    // For npm run redrive -- <queue> --queue-url … --dlq-url … after a fix.
    for (const [id, { queue, dlq }] of this.queues) {
      new CfnOutput(this, `${id}QueueUrl`, { value: queue.queueUrl });
      new CfnOutput(this, `${id}DlqUrl`, { value: dlq.queueUrl });
    }

    this.suppressJustifiedFindings([jwtSecret, piiHashSecret, wechatSecret]);
    NagSuppressions.addResourceSuppressions(scheduleDlq, [
      { id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the schedules\' targets.' },
    ]);
  }

  private dlqAlarm(id: string, dlq: sqs.Queue, description: string, topic: sns.ITopic): void {
    this.alarms.push(
      notifyOnCall(
        new cloudwatch.Alarm(this, id, {
          alarmDescription: description,
          metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
        topic,
      ),
    );
  }

  /** What residents feel (API errors and slowness) and what the table refuses (throttles, faults). */
  private operationsAlarms(topic: sns.ITopic): void {
    const period = Duration.minutes(5);
    const requests = this.api.metricCount({ period, statistic: 'Sum' });
    const serverErrors = this.api.metricServerError({ period, statistic: 'Sum' });
    const alarm = (id: string, props: cloudwatch.AlarmProps) => this.alarms.push(notifyOnCall(new cloudwatch.Alarm(this, id, props), topic));
    alarm('Api5xxRateAlarm', {
      alarmDescription: 'More than 5% of API requests answered 5xx for 10 minutes',
      metric: new cloudwatch.MathExpression({ expression: 'IF(requests > 0, 100 * errors / requests, 0)', usingMetrics: { requests, errors: serverErrors }, period, label: '5xx %' }),
      threshold: 5,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm('ApiLatencyP99Alarm', {
      alarmDescription: 'API p99 latency above 3 s for 15 minutes (phones on weak 4G give up soon after)',
      metric: this.api.metricLatency({ period, statistic: 'p99' }),
      threshold: 3000,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const operations = [dynamodb.Operation.GET_ITEM, dynamodb.Operation.QUERY, dynamodb.Operation.PUT_ITEM, dynamodb.Operation.UPDATE_ITEM, dynamodb.Operation.TRANSACT_WRITE_ITEMS, dynamodb.Operation.BATCH_WRITE_ITEM];
    alarm('TableThrottleAlarm', {
      alarmDescription: 'DynamoDB throttled requests to the table',
      metric: this.table.metricThrottledRequestsForOperations({ operations, period }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm('TableSystemErrorAlarm', {
      alarmDescription: 'DynamoDB answered requests to the table with 500s (service-side errors)',
      metric: this.table.metricSystemErrorsForOperations({ operations, period }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /** The on-call engineer's first page: traffic, errors, latency, the table, the queues, the business. */
  private dashboard(): void {
    const period = Duration.minutes(5);
    const business = (name: string, statistic = 'Sum') =>
      new cloudwatch.Metric({ namespace: 'Anzhi', metricName: name, dimensionsMap: { service: 'anzhi' }, period, statistic });
    const dashboard = new cloudwatch.Dashboard(this, 'OperationsDashboard', { defaultInterval: Duration.hours(6) });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'API requests and errors', left: [this.api.metricCount({ period }), this.api.metricServerError({ period }), this.api.metricClientError({ period })], width: 12 }),
      new cloudwatch.GraphWidget({ title: 'API latency (p50, p99)', left: [this.api.metricLatency({ period, statistic: 'p50' }), this.api.metricLatency({ period, statistic: 'p99' })], width: 12 }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Requests: submitted, routed, re-routed, closed',
        left: [business('RequestsSubmitted'), business('RequestsRouted'), business('RequestsReRouted'), business('RequestsClosed')],
        width: 12,
      }),
      new cloudwatch.GraphWidget({ title: 'Routing latency (p50, p99) and volunteer sign-ups', left: [business('RoutingLatency', 'p50'), business('RoutingLatency', 'p99')], right: [business('VolunteerSignUps')], width: 12 }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues',
        left: [...this.queues.entries()].map(([id, { dlq }]) => dlq.metricApproximateNumberOfMessagesVisible({ period, label: id })),
        width: 12,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 12 }),
    );
  }

  /** Every cdk-nag suppression of the stack, each with the reason it is acceptable. */
  private suppressJustifiedFindings(secretsWithoutRotation: secrets.Secret[]): void {
    for (const stack of [this, ...this.routeStacks]) NagSuppressions.addStackSuppressions(stack, [
      {
        id: 'AwsSolutions-IAM4',
        reason: 'Functions use AWSLambdaBasicExecutionRole (logs only) and AWSXRayDaemonWriteAccess; both are AWS-maintained and scoped to logging/tracing.',
        appliesTo: [
          'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        ],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason: 'Wildcards come from CDK grants scoped to our own resources: the table\'s indexes (<table>/index/*) and KMS GenerateDataKey* / ReEncrypt* actions on our own key.',
        appliesTo: [
          { regex: '/^Resource::<Main[0-9A-F]{8}\\.Arn>\\/index\\/\\*$/g' },
          // The same grants inside the routes' nested stacks, where the table is a parameter.
          { regex: '/^Resource::<referenceto.*Main[0-9A-F]{8}Arn>\\/index\\/\\*$/g' },
          { regex: '/^Resource::<referenceto.*PhotoBucket[0-9A-F]{8}Arn>\\/(pending|requests|exports|imports|agreements)\\/\\*$/g' },
          // EventBridge Scheduler's role may invoke the schedule's function and its versions.
          { regex: '/^Resource::<.+ScheduleFn[0-9A-F]{8}\\.Arn>:\\*$/g' },
          { regex: '/^Action::kms:(GenerateDataKey|ReEncrypt)\\*$/g' },
          // Photo keys are generated per upload and per request (pending/<userId>/…, requests/<id>/…), export
          // files per export (exports/<userId>/<id>.csv), roster files per import (imports/<userId>/<id>.csv),
          // mediation agreements per case and draft (agreements/<caseId>/v<n>.pdf):
          // one object-level action on a prefix.
          { regex: '/^Resource::<PhotoBucket[0-9A-F]{8}\\.Arn>\\/(pending|requests|exports|imports|agreements)\\/\\*$/g' },
        ],
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'Node.js 22 is the runtime the team has agreed on (DESIGN.md) and tests against; upgrade deliberately, not implicitly.',
      },
      {
        id: 'AwsSolutions-APIG4',
        reason: 'Routes are authorised inside the functions from the route table: tokens are our own HS256 JWTs issued after WeChat login, which an HTTP API JWT authorizer (OIDC/JWKS only) cannot verify; public routes (/health, /openapi.json, login) need none.',
      },
    ]);
    for (const s of secretsWithoutRotation) {
      NagSuppressions.addResourceSuppressions(s, [
        {
          id: 'AwsSolutions-SMG4',
          reason: 'The WeChat AppSecret is rotated in the WeChat console, not by AWS; rotating the JWT key logs every user out and rotating the lookup-hash key requires re-hashing every stored number, so both are rotated by hand in a maintenance window.',
        },
      ]);
    }
  }
}
