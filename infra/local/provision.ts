import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';

import { localS3Credentials } from '../../shared/aws';
import { dlqName, photoBucket, type QueueDefinition,queueList, queueName, table } from '../../shared/resources';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
export const localRegion = 'cn-northwest-1';

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: localRegion, credentials });
}
export function localSqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: localRegion, credentials });
}

export function localS3Client(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: localRegion, credentials: localS3Credentials, forcePathStyle: true });
}

/** The photo bucket under the stack's prefix, unless it exists already. */
export async function ensurePhotoBucket(client: S3Client, prefix: string): Promise<string> {
  const name = `${prefix}${photoBucket.id}`;
  try {
    await client.send(new HeadBucketCommand({ Bucket: name }));
  } catch {
    await client.send(new CreateBucketCommand({ Bucket: name }));
  }
  // As the stack's bucket: the console posts roster files to it from the browser.
  await client.send(new PutBucketCorsCommand({ Bucket: name, CORSConfiguration: { CORSRules: [{ AllowedMethods: ['POST'], AllowedOrigins: ['*'], AllowedHeaders: ['*'], MaxAgeSeconds: 3600 }] } }));
  return name;
}

/** Creates the table and its indexes from shared/resources.ts, unless it exists already. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<{ created: boolean }> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return { created: false };
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  const attrs = new Set<string>([table.partitionKey, table.sortKey]);
  for (const i of table.indexes) {
    attrs.add(i.partitionKey);
    attrs.add(i.sortKey);
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attrs].map((a) => ({ AttributeName: a, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        { AttributeName: table.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: table.indexes.map((i) => ({
        IndexName: i.name,
        KeySchema: [
          { AttributeName: i.partitionKey, KeyType: 'HASH' },
          { AttributeName: i.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
    }),
  );
  return { created: true };
}

export interface ProvisionedQueue {
  def: QueueDefinition;
  url: string;
  dlqUrl: string;
}

/** Creates every queue and its DLQ with the redrive policy of the shared definition. */
export async function ensureQueues(client: SQSClient, prefix: string): Promise<ProvisionedQueue[]> {
  const out: ProvisionedQueue[] = [];
  for (const def of queueList) {
    const fifoAttrs: Record<string, string> = def.fifo ? { FifoQueue: 'true' } : {};
    const dlq = await client.send(
      new CreateQueueCommand({
        QueueName: dlqName(def, prefix),
        Attributes: { ...fifoAttrs, MessageRetentionPeriod: String(14 * 24 * 3600) },
      }),
    );
    const dlqAttrs = await client.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }));
    const visibility = def.consumer ? def.consumer.timeoutSeconds * 6 : 30;
    const q = await client.send(
      new CreateQueueCommand({
        QueueName: queueName(def, prefix),
        Attributes: {
          ...fifoAttrs,
          VisibilityTimeout: String(visibility),
          MessageRetentionPeriod: String(def.retentionDays * 24 * 3600),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqAttrs.Attributes!.QueueArn, maxReceiveCount: def.maxReceiveCount }),
        },
      }),
    );
    out.push({ def, url: q.QueueUrl!, dlqUrl: dlq.QueueUrl! });
  }
  return out;
}

/** The environment the handlers read (shared/config.ts) for a provisioned stack. */
export function stackEnvironment(opts: {
  tableName: string;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  s3Endpoint: string;
  photoBucketName: string;
  queues: ProvisionedQueue[];
  stage: 'local' | 'test';
}): Record<string, string> {
  const env: Record<string, string> = {
    STAGE: opts.stage,
    TABLE_NAME: opts.tableName,
    AWS_REGION: localRegion,
    DYNAMODB_ENDPOINT: opts.dynamoEndpoint,
    SQS_ENDPOINT: opts.sqsEndpoint,
    S3_ENDPOINT: opts.s3Endpoint,
    [photoBucket.envVar]: opts.photoBucketName,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // Business metrics are EMF log lines for CloudWatch; off AWS nothing reads them.
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  for (const q of opts.queues) env[q.def.urlEnv] = q.url;
  return env;
}
