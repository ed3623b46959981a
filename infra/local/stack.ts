import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';

import { startFauxqs } from 'fauxqs';

import { resetSigningKeyForTests } from '../../shared/auth/tokens';
import { resetClientsForTests } from '../../shared/aws';
import { resetConfigForTests } from '../../shared/config';
import { resetPiiKeysForTests } from '../../shared/pii/crypto';
import { schedules } from '../../shared/resources';
import { routes } from '../../shared/routes';
import { declaredGrant, runWithGrant } from '../../shared/system/grants';
import { type DynamoLocal,startDynamoLocal } from './dynamodb-local';
import { createLocalApi, loadHandler } from './http-api';
import { ensurePhotoBucket, ensureQueues, ensureTable, localDynamoClient, localS3Client, localSqsClient, type ProvisionedQueue,stackEnvironment } from './provision';
import { QueuePoller, type SqsHandler } from './queue-poller';
import { startS3Local } from './s3-local';
import { LocalScheduler } from './scheduler';

export interface LocalStackOptions {
  /** Folder for DynamoDB Local's data; omitted = in memory. */
  dataDir?: string;
  /** Use an already running DynamoDB Local / SQS emulator (tests share one per run). */
  dynamoEndpoint?: string;
  sqsEndpoint?: string;
  s3Endpoint?: string;
  /** Folder for the local S3 stand-in's files (photos); omitted = a temp folder. */
  s3Dir?: string;
  /** Prefix of the table and queue names, so that several stacks can share one engine. */
  prefix: string;
  stage: 'local' | 'test';
  /** HTTP port; 0 picks a free one. */
  port?: number;
  /** Start the queue pollers and schedules (the API alone is enough for many tests). */
  workers?: boolean;
  /** Shortens visibility timeouts so that retries happen within a test. */
  visibilityTimeoutSeconds?: number;
  /** Folder where the local signing and PII keys are kept between runs (local stage). */
  keyDir?: string;
  log?: (line: string) => void;
}

export interface LocalStack {
  apiUrl: string;
  tableName: string;
  queues: ProvisionedQueue[];
  env: Record<string, string>;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  s3Endpoint: string;
  photoBucketName: string;
  pollers: QueuePoller[];
  scheduler: LocalScheduler;
  stop(): Promise<void>;
}

/** A random key kept in a git-ignored file so that it survives restarts (or a fresh one per test run). */
function persistentKey(file: string | undefined, encoding: 'base64' | 'base64url'): string {
  if (!file) return randomBytes(32).toString(encoding);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32).toString(encoding);
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/**
 * The whole system on one machine: DynamoDB Local and the SQS emulator (started here unless
 * endpoints are given), the table and queues from shared/resources.ts, the HTTP API serving the
 * route table with the real handlers, a poller per queue consumer and the schedules.
 */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const log = opts.log ?? (() => undefined);
  const stops: (() => Promise<void>)[] = [];
  try {
    let dynamo: DynamoLocal | undefined;
    let dynamoEndpoint = opts.dynamoEndpoint;
    if (!dynamoEndpoint) {
      dynamo = await startDynamoLocal({ dataDir: opts.dataDir });
      stops.push(() => dynamo!.stop());
      dynamoEndpoint = dynamo.endpoint;
    }
    let sqsEndpoint = opts.sqsEndpoint;
    if (!sqsEndpoint) {
      const fauxqs = await startFauxqs({ port: 0, logger: false });
      stops.push(() => fauxqs.stop());
      sqsEndpoint = fauxqs.address;
    }

    let s3Endpoint = opts.s3Endpoint;
    if (!s3Endpoint) {
      const s3 = await startS3Local({ dir: opts.s3Dir });
      stops.push(() => s3.stop());
      s3Endpoint = s3.endpoint;
    }

    const tableName = `${opts.prefix}main`;
    const ddbClient = localDynamoClient(dynamoEndpoint);
    const sqsClient = localSqsClient(sqsEndpoint);
    stops.push(async () => {
      ddbClient.destroy();
      sqsClient.destroy();
    });
    await ensureTable(ddbClient, tableName);
    const queues = await ensureQueues(sqsClient, opts.prefix);
    const s3Client = localS3Client(s3Endpoint);
    const photoBucketName = await ensurePhotoBucket(s3Client, opts.prefix);
    s3Client.destroy();

    const env = {
      ...stackEnvironment({ tableName, dynamoEndpoint, sqsEndpoint, s3Endpoint, photoBucketName, queues, stage: opts.stage }),
      JWT_SECRET: persistentKey(opts.keyDir && join(opts.keyDir, 'jwt-secret'), 'base64url'),
      PII_LOCAL_KEY: persistentKey(opts.keyDir && join(opts.keyDir, 'pii-master-key'), 'base64'),
    };
    // The handlers run in this process, as in one Lambda environment per function.
    Object.assign(process.env, env);
    resetConfigForTests();
    resetClientsForTests();
    resetSigningKeyForTests();
    resetPiiKeysForTests();

    const server: Server = createLocalApi(routes);
    await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const pollers: QueuePoller[] = [];
    const scheduler = new LocalScheduler(schedules, log);
    if (opts.workers !== false) {
      for (const q of queues) {
        const consumer = q.def.consumer;
        if (!consumer) continue;
        const loaded = await loadHandler<SqsHandler>(consumer.handler);
        // Run as Lambda would with the stack's grants: only what the consumer declares.
        const grant = declaredGrant(`${q.def.id}Consumer`, consumer);
        const handler: SqsHandler = (event, context) => runWithGrant(grant, () => loaded(event, context));
        const poller = new QueuePoller(sqsClient, {
          name: q.def.id,
          queueUrl: q.url,
          fifo: q.def.fifo,
          batchSize: consumer.batchSize,
          visibilityTimeoutSeconds: opts.visibilityTimeoutSeconds ?? consumer.timeoutSeconds * 6,
          handler,
          onError: (err) => log(`[queue] ${q.def.id}: ${(err as Error).message}`),
        });
        await poller.start();
        pollers.push(poller);
        stops.push(() => poller.stop());
      }
      scheduler.start();
      stops.push(() => scheduler.stop());
    }

    return {
      apiUrl,
      tableName,
      queues,
      env,
      dynamoEndpoint,
      sqsEndpoint,
      s3Endpoint,
      photoBucketName,
      pollers,
      scheduler,
      stop: async () => {
        for (const stop of stops.reverse()) await stop();
      },
    };
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw err;
  }
}

