import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { config } from './config';

/**
 * SDK clients, created once per process on first use. Off AWS the endpoints point at
 * DynamoDB Local and the SQS emulator; the emulator answers with queue URLs naming its own
 * host, so the SQS client must always be given the endpoint explicitly.
 */
let docClient: DynamoDBDocumentClient | undefined;
let sqsClient: SQSClient | undefined;

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

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

/** Only for tests that swap configuration in one process or inject failures. */
export function setClientsForTests(clients: { ddb?: DynamoDBDocumentClient; sqs?: SQSClient }): void {
  if (clients.ddb) docClient = clients.ddb;
  if (clients.sqs) sqsClient = clients.sqs;
}
export function resetClientsForTests(): void {
  docClient = undefined;
  sqsClient = undefined;
}
