import { GetCommand } from '@aws-sdk/lib-dynamodb';

import { ddb } from '../aws';
import { config } from '../config';
import { queueDepth } from '../queue/messages';
import { type QueueId,queues } from '../resources';

interface Check {
  ok: boolean;
  latencyMs: number;
}

async function timed<T>(fn: () => Promise<T>): Promise<Check & { value: T | null }> {
  const start = performance.now();
  try {
    const value = await fn();
    return { ok: true, latencyMs: Math.round(performance.now() - start), value };
  } catch {
    return { ok: false, latencyMs: Math.round(performance.now() - start), value: null };
  }
}

/** One GetItem on the table and one GetQueueAttributes per queue, all at once. */
export async function checkHealth() {
  const tableCheck = timed(() =>
    ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: { pk: 'HEALTH', sk: 'HEALTH' } })),
  );
  const ids = Object.keys(queues) as QueueId[];
  const queueChecks = await Promise.all(ids.map((id) => timed(() => queueDepth(id))));
  const table = await tableCheck;
  const queueResults = Object.fromEntries(
    ids.map((id, i) => {
      const c = queueChecks[i]!;
      return [id, { ok: c.ok, latencyMs: c.latencyMs, depth: c.value }];
    }),
  );
  const ok = table.ok && queueChecks.every((c) => c.ok);
  return {
    status: ok ? ('ok' as const) : ('degraded' as const),
    stage: config().STAGE,
    time: new Date().toISOString(),
    table: { ok: table.ok, latencyMs: table.latencyMs },
    queues: queueResults,
  };
}
