import { resolve } from 'node:path';

import { reconcileOutbox } from '../../shared/queue/messages';
import { redriveUnrouted } from '../../shared/requests/use-cases';
import { schedules } from '../../shared/resources';
import { buildConsoleIfStale } from './console';
import { JavaMissingError } from './dynamodb-local';
import { writeLocalEndpoints } from './endpoints';
import { seedHistory } from './history';
import { projectRoot } from './http-api';
import { seedDemoData } from './seed';
import { startLocalStack } from './stack';

/** `npm start`: the whole system on this machine, with demo data, until Ctrl-C. */
async function main(): Promise<void> {
  const started = performance.now();
  // The console is built first when its sources changed: a stale build would show yesterday's screens.
  await buildConsoleIfStale();
  const dataDir = resolve(projectRoot, process.env.LOCAL_DATA_DIR ?? '.local/dynamodb');
  const port = Number(process.env.PORT ?? 3000);
  const log = (line: string) => console.log(line);

  const stack = await startLocalStack({
    dataDir,
    prefix: 'anzhi-local-',
    stage: 'local',
    port,
    keyDir: resolve(projectRoot, process.env.LOCAL_KEY_DIR ?? '.local/keys'),
    s3Dir: resolve(projectRoot, process.env.LOCAL_S3_DIR ?? '.local/s3'),
    log,
  });
  const forgetEndpoints = writeLocalEndpoints(stack);
  const seeded = await seedDemoData();
  // Before the schedules start: the history's steps are on their own past clocks.
  // DEMO_HISTORY=off skips it (a test that restarts the stack many times has no use for it).
  const history = process.env.DEMO_HISTORY === 'off' ? { created: false, summary: 'no request history (DEMO_HISTORY=off)' } : await seedHistory();
  // The queue emulator keeps its messages in memory: after a crash nothing is still on its way.
  // Send what the outbox kept and route every request still waiting, before anyone looks.
  const resent = await reconcileOutbox(new Date(), 0);
  const recovered = await redriveUnrouted(new Date(), 0);
  // Daily and hourly schedules would first fire an hour from now: run them once at start, so
  // that today's visits and tomorrow's reminders exist while someone is looking.
  for (const s of schedules.filter((x) => x.localEveryMs >= 5 * 60_000)) void stack.scheduler.fire(s);

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    [
      '',
      `安置区居民自助服务 — local stack ready in ${seconds} s`,
      `  HTTP API        ${stack.apiUrl}   (try ${stack.apiUrl}/health, ${stack.apiUrl}/openapi.json)`,
      `  Console         ${stack.apiUrl}/console/   (scan to sign in; locally the page offers demo approvals)`,
      `  DynamoDB Local  ${stack.dynamoEndpoint}   table ${stack.tableName}, data in ${dataDir}`,
      `  SQS emulator    ${stack.sqsEndpoint}   queues: ${stack.queues.map((q) => q.def.id).join(', ')} (+ DLQs)`,
      `  S3 (s3rver)     ${stack.s3Endpoint}   bucket ${stack.photoBucketName} (photos)`,
      `  Consumers       ${stack.pollers.length ? stack.queues.filter((q) => q.def.consumer).map((q) => q.def.id).join(', ') : 'none'}`,
      `  Schedules       ${schedules.map((s) => s.id).join(', ')}`,
      `  Demo data       ${seeded.created ? 'seeded now' : 'already present'} — ${seeded.summary}; ${history.summary}`,
      `  Recovered       ${resent.sent} queued messages resent, ${recovered.rerouted} unrouted requests routed`,
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received, stopping…`);
    await stack.stop();
    forgetEndpoints();
    console.log('stopped cleanly.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof JavaMissingError) console.error(`\n${err.message}\n`);
  else console.error(err);
  process.exit(1);
});
