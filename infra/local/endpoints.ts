import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import type { QueueId } from '../../shared/resources';
import { projectRoot } from './http-api';
import { localRegion, type ProvisionedQueue } from './provision';

/** Where a running `npm start` says where its services are, for operator commands (redrive). */
export const localEndpointsFile = '.local/endpoints.json';

export interface LocalEndpoints {
  apiUrl: string;
  sqsEndpoint: string;
  dynamoEndpoint: string;
  region: string;
  tableName: string;
  queues: Record<QueueId, { url: string; dlqUrl: string }>;
}

export function writeLocalEndpoints(s: { apiUrl: string; sqsEndpoint: string; dynamoEndpoint: string; tableName: string; queues: ProvisionedQueue[] }): () => void {
  const file = resolve(projectRoot, localEndpointsFile);
  const body: LocalEndpoints = {
    apiUrl: s.apiUrl,
    sqsEndpoint: s.sqsEndpoint,
    dynamoEndpoint: s.dynamoEndpoint,
    region: localRegion,
    tableName: s.tableName,
    queues: Object.fromEntries(s.queues.map((q) => [q.def.id, { url: q.url, dlqUrl: q.dlqUrl }])) as LocalEndpoints['queues'],
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(body, null, 2));
  return () => rmSync(file, { force: true });
}
