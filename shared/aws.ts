import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { config } from './config';
import { assertMayWrite } from './system/grants';

/**
 * SDK clients, created once per process on first use. Off AWS the endpoints point at
 * DynamoDB Local and the SQS emulator; the emulator answers with queue URLs naming its own
 * host, so the SQS client must always be given the endpoint explicitly.
 */
let docClient: DynamoDBDocumentClient | undefined;
let sqsClient: SQSClient | undefined;
let s3Client: S3Client | undefined;

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
/** s3rver knows one key pair, its own. */
export const localS3Credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

const writeCommand = /^(Put|Update|Delete|BatchWrite|TransactWrite)/;

export function ddb(): DynamoDBDocumentClient {
  if (!docClient) {
    const c = config();
    const base = new DynamoDBClient({
      region: c.AWS_REGION,
      ...(c.DYNAMODB_ENDPOINT ? { endpoint: c.DYNAMODB_ENDPOINT, credentials: localCredentials } : {}),
    });
    docClient = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    // Off AWS, a write from a function declared read-only fails as IAM would refuse it there.
    if (c.DYNAMODB_ENDPOINT) {
      docClient.middlewareStack.add(
        (next, context) => (args) => {
          if (writeCommand.test(context.commandName ?? '')) assertMayWrite(context.commandName!);
          return next(args);
        },
        { step: 'initialize', name: 'declaredTableAccess' },
      );
    }
  }
  return docClient;
}

export function sqs(): SQSClient {
  if (!sqsClient) {
    const c = config();
    sqsClient = new SQSClient({
      region: c.AWS_REGION,
      ...(c.SQS_ENDPOINT ? { endpoint: c.SQS_ENDPOINT, credentials: localCredentials } : {}),
    });
  }
  return sqsClient;
}

export function s3(): S3Client {
  if (!s3Client) {
    const c = config();
    s3Client = new S3Client({
      region: c.AWS_REGION,
      // The local stand-in serves buckets by path, not by host name.
      ...(c.S3_ENDPOINT ? { endpoint: c.S3_ENDPOINT, forcePathStyle: true, credentials: localS3Credentials } : {}),
    });
  }
  return s3Client;
}

let secretsClient: SecretsManagerClient | undefined;
const secretValues = new Map<string, Promise<string>>();

/** A secret's value from Secrets Manager, fetched once per cold start (a failed fetch is retried next time). */
export function secretValue(arn: string): Promise<string> {
  let value = secretValues.get(arn);
  if (!value) {
    secretsClient ??= new SecretsManagerClient({});
    value = secretsClient.send(new GetSecretValueCommand({ SecretId: arn })).then((o) => {
      if (!o.SecretString) throw new Error('secret is empty');
      return o.SecretString;
    });
    value.catch(() => secretValues.delete(arn));
    secretValues.set(arn, value);
  }
  return value;
}

/** Only for tests that swap configuration in one process or inject failures. */
export function setClientsForTests(clients: { ddb?: DynamoDBDocumentClient; sqs?: SQSClient }): void {
  if (clients.ddb) docClient = clients.ddb;
  if (clients.sqs) sqsClient = clients.sqs;
}
export function resetClientsForTests(): void {
  docClient = undefined;
  sqsClient = undefined;
  s3Client = undefined;
}
