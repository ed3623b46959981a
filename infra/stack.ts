import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
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
import { photoBucket, queueList, schedules, scheduleTimeZone, table as tableDef, type QueueDefinition, type QueueId } from '../shared/resources';
import { AppFunction } from './app-function';
import { templateEnv, type NotificationTemplate } from '../shared/notifications/templates';

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

  constructor(scope: Construct, id: string, props: AnzhiStackProps) {
    super(scope, id, props);
    const prod = props.stage === 'prod';

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
      lifecycleRules: [
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Uploads no request cited: gone after a couple of days.
        { prefix: photoBucket.uploadPrefix, expiration: Duration.days(photoBucket.pendingDays) },
      ],
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
      const alarm = new cloudwatch.Alarm(this, `${def.id}DlqAlarm`, {
        alarmDescription: `Messages of the ${def.id} queue failed ${def.maxReceiveCount} times and wait in its DLQ`,
        metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new cwActions.SnsAction(alarmTopic));
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

    const grantQueues = (fn: AppFunction, sends: readonly QueueId[]) => {
      for (const q of sends) this.queues.get(q)!.queue.grantSendMessages(fn);
    };
    const grantCommon = (fn: AppFunction) => {
      jwtSecret.grantRead(fn);
      piiHashSecret.grantRead(fn);
      piiKey.grant(fn, 'kms:GenerateDataKey', 'kms:Decrypt');
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

    const pending = photoStore.arnForObjects(`${photoBucket.uploadPrefix}*`);
    const attached = photoStore.arnForObjects(`${photoBucket.attachedPrefix}*`);
    for (const r of props.routes) {
      const fn = new AppFunction(this, `${r.id}Fn`, {
        entry: r.handler,
        description: `${r.method} ${r.path}`,
        sharedEnvironment,
      });
      const access = r.tableAccess ?? (r.method === 'GET' ? 'read' : 'readwrite');
      if (access === 'read') this.table.grantReadData(fn);
      else this.table.grantReadWriteData(fn);
      grantQueues(fn, r.sends ?? []);
      grantCommon(fn);
      // A presigned URL acts with the signer's rights: the upload route may put, readers may get.
      if (r.photos === 'upload') fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [pending] }));
      if (r.photos === 'attach') {
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [pending] }));
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [attached] }));
      }
      if (r.photos === 'read') fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [attached] }));
      this.api.addRoutes({
        path: r.path,
        methods: [apigw.HttpMethod[r.method]],
        integration: new HttpLambdaIntegration(`${r.id}Integration`, fn, {
          payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
        }),
      });
      // Only the login route talks to WeChat's jscode2session.
      if (r.id === 'postAuthWechat') wechatSecret.grantRead(fn);
      this.functions.set(r.id, fn);
    }
    // The health route reads every queue's depth.
    const healthFn = this.functions.get('getHealth');
    if (healthFn) {
      for (const { queue } of this.queues.values()) queue.grant(healthFn, 'sqs:GetQueueAttributes');
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
      this.table.grantReadWriteData(fn);
      grantQueues(fn, queueList.map((q) => q.id as QueueId));
      grantCommon(fn);
      wechatSecret.grantRead(fn);
      fn.addEventSource(
        new SqsEventSource(queue, {
          batchSize: def.consumer.batchSize,
          reportBatchItemFailures: true,
          ...(def.fifo ? {} : { maxBatchingWindow: Duration.seconds(def.consumer.maxBatchingWindowSeconds ?? 0) }),
        }),
      );
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
      this.table.grantReadWriteData(fn);
      grantQueues(fn, queueList.map((q) => q.id as QueueId));
      grantCommon(fn);
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

    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topicArn });
    new CfnOutput(this, 'PhotoBucketName', { value: photoStore.bucketName });

    this.suppressJustifiedFindings([jwtSecret, piiHashSecret, wechatSecret]);
    NagSuppressions.addResourceSuppressions(scheduleDlq, [
      { id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the schedules\' targets.' },
    ]);
  }

  /** Every cdk-nag suppression of the stack, each with the reason it is acceptable. */
  private suppressJustifiedFindings(secretsWithoutRotation: secrets.Secret[]): void {
    NagSuppressions.addStackSuppressions(this, [
      {
        id: 'AwsSolutions-IAM4',
        reason: 'Functions use AWSLambdaBasicExecutionRole (logs only) and AWSXRayDaemonWriteAccess; both are AWS-maintained and scoped to logging/tracing.',
        appliesTo: [
          'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        ],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason: 'Wildcards come from CDK grants scoped to our own resources: the table\'s indexes (<table>/index/*), X-Ray trace writes (no resource-level permissions exist), and KMS GenerateDataKey* / ReEncrypt* actions on our own key.',
        appliesTo: [
          { regex: '/^Resource::<Main[0-9A-F]{8}\\.Arn>\\/index\\/\\*$/g' },
          // EventBridge Scheduler's role may invoke the schedule's function and its versions.
          { regex: '/^Resource::<.+ScheduleFn[0-9A-F]{8}\\.Arn>:\\*$/g' },
          { regex: '/^Resource::\\*$/g' },
          { regex: '/^Action::kms:(GenerateDataKey|ReEncrypt)\\*$/g' },
          // Photo keys are generated per upload and per request (pending/<userId>/…, requests/<id>/…): one object-level action on a prefix.
          { regex: '/^Resource::<PhotoBucket[0-9A-F]{8}\\.Arn>\\/(pending|requests)\\/\\*$/g' },
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
