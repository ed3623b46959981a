import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { queueList } from '../../shared/resources';
import { type LocalEndpoints,localEndpointsFile } from '../local/endpoints';
import { projectRoot } from '../local/http-api';
import { recount } from './recount-figures';

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
 * `npm run recount`: recomputes the figures from the items and prints every counter that
 * disagrees; exit 1 if any. Against the running local stack by default (.local/endpoints.json);
 * in AWS, run with TABLE_NAME and credentials set (docs/operations.md).
 */
async function main(): Promise<void> {
  if (!process.env.TABLE_NAME) useLocalStack();
  else {
    // In AWS: the recount reads the table and nothing else; the rest only satisfies config().
    process.env.STAGE ??= 'prod';
    process.env.PHOTO_BUCKET ??= 'unused';
    for (const q of queueList) process.env[q.urlEnv] ??= 'unused';
  }
  const started = performance.now();
  const r = await recount();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`recount: ${r.requests} requests, ${r.households} households, ${r.checked} counters checked in ${seconds} s; ${r.notComparable} reopened requests (their months' resolve counters not compared)`);
  for (const d of r.disagreements) console.log(`  DISAGREES ${d.partition} ${d.row} ${d.counter}: counted ${d.counted}, recomputed ${d.recomputed}`);
  if (r.disagreements.length) {
    console.log(`${r.disagreements.length} counters disagree.`);
    process.exit(1);
  }
  console.log('every counter agrees with the items.');
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
