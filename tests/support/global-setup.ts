import type { TestProject } from 'vitest/node';
import { startFauxqs } from 'fauxqs';
import { startDynamoLocal } from '../../infra/local/dynamodb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sqsEndpoint: string;
  }
}

/** Starts the real engines once per test run (never per test) and stops them at the end. */
export default async function setup(project: TestProject) {
  const [dynamo, sqs] = await Promise.all([startDynamoLocal(), startFauxqs({ port: 0, logger: false })]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sqsEndpoint', sqs.address);
  return async () => {
    await Promise.all([dynamo.stop(), sqs.stop()]);
  };
}
