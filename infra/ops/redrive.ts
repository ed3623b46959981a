import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { SQSClient } from '@aws-sdk/client-sqs';

import { redriveDeadLetters } from '../../shared/queue/redrive';
import { type QueueId,queues } from '../../shared/resources';
import { type LocalEndpoints,localEndpointsFile } from '../local/endpoints';
import { projectRoot } from '../local/http-api';

/**
 * `npm run redrive -- <queue>`: moves a queue's dead letters back to it after a fix.
 * Locally it finds the running `npm start` through .local/endpoints.json; against AWS give the
 * two queue URLs from the stack's outputs: `--queue-url … --dlq-url … [--region …]`.
 */
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { 'queue-url': { type: 'string' }, 'dlq-url': { type: 'string' }, region: { type: 'string' } },
});
const id = positionals[0] as QueueId | undefined;
if (!id || !(id in queues)) {
  console.error(`usage: npm run redrive -- <${Object.keys(queues).join('|')}> [--queue-url URL --dlq-url URL --region REGION]`);
  process.exit(2);
}
const def = queues[id];

let client: SQSClient;
let queueUrl = values['queue-url'];
let dlqUrl = values['dlq-url'];
if (queueUrl && dlqUrl) {
  client = new SQSClient(values.region ? { region: values.region } : {});
} else {
  const file = resolve(projectRoot, localEndpointsFile);
  let local: LocalEndpoints;
  try {
    local = JSON.parse(readFileSync(file, 'utf8')) as LocalEndpoints;
  } catch {
    console.error(`No running local stack (${file} is missing): start it with npm start, or give --queue-url and --dlq-url for AWS.`);
    process.exit(2);
  }
  const q = local.queues[id];
  queueUrl = q.url;
  dlqUrl = q.dlqUrl;
  client = new SQSClient({ endpoint: local.sqsEndpoint, region: local.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

const result = await redriveDeadLetters(client, { queueUrl, dlqUrl, fifo: def.fifo });
console.log(`${id}: ${result.moved} messages moved from the dead-letter queue back to the queue${result.failed ? `, ${result.failed} could not be sent (still in the DLQ)` : ''}`);
client.destroy();
process.exit(result.failed ? 1 : 0);
