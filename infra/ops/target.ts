import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { queueList } from '../../shared/resources';
import { type LocalEndpoints, localEndpointsFile } from '../local/endpoints';
import { projectRoot } from '../local/http-api';

/** The running local stack's table (the recount reads nothing else; the rest only satisfies config()). */
function useLocalStack(): void {
  let e: LocalEndpoints;
  try {
    e = JSON.parse(readFileSync(resolve(projectRoot, localEndpointsFile), 'utf8')) as LocalEndpoints;
  } catch {
    console.error(`No running local stack (${localEndpointsFile} is missing): start it with npm start, or set TABLE_NAME for AWS.`);
    process.exit(2);
  }
  Object.assign(process.env, {
    STAGE: 'local',
    TABLE_NAME: e.tableName,
    DYNAMODB_ENDPOINT: e.dynamoEndpoint,
    AWS_REGION: e.region,
    PHOTO_BUCKET: 'unused',
    ...Object.fromEntries(Object.entries(e.queues).map(([id, q]) => [`QUEUE_${id.toUpperCase()}_URL`, q.url])),
  });
}

/**
 * Where an operator's tool that reads and writes only the table points: the running local stack
 * (.local/endpoints.json) by default; in AWS, TABLE_NAME and credentials set (the rest only
 * satisfies config()).
 */
export function tableOnlyTarget(): void {
  if (!process.env.TABLE_NAME) useLocalStack();
  else {
    process.env.STAGE ??= 'prod';
    process.env.PHOTO_BUCKET ??= 'unused';
    for (const q of queueList) process.env[q.urlEnv] ??= 'unused';
  }
}
