import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { startFauxqs } from 'fauxqs';
import type { TestProject } from 'vitest/node';

import { buildConsole } from '../../infra/local/console';
import { demoPersonalNumbers } from '../../infra/local/demo-data';
import { startDynamoLocal } from '../../infra/local/dynamodb-local';
import { startS3Local } from '../../infra/local/s3-local';
import { buildMiniprogram } from '../../infra/miniprogram/build';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sqsEndpoint: string;
    s3Endpoint: string;
    miniprogramRoot: string;
  }
}

const logDir = join(import.meta.dirname, '../../.local/test-logs');

/**
 * Starts the real engines once per test run (never per test) and stops them at the end. Every
 * test process copies its stdout/stderr into logDir (setup-env.ts); at the end the whole run's
 * logs are searched for every personal number in the demo data — one leak fails the run.
 */
export default async function setup(project: TestProject) {
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  process.env.TEST_LOG_DIR = logDir;
  // The console is built once for the run: the browser tests serve it, the CDK tests deploy it.
  const [dynamo, sqs, s3] = await Promise.all([startDynamoLocal(), startFauxqs({ port: 0, logger: false }), startS3Local(), buildConsole()]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sqsEndpoint', sqs.address);
  project.provide('s3Endpoint', s3.endpoint);
  // Compiled here, in Node: esbuild cannot run inside the jsdom environment the page tests use.
  const miniprogramRoot = join(import.meta.dirname, '../../.build/miniprogram-test');
  buildMiniprogram(miniprogramRoot);
  project.provide('miniprogramRoot', miniprogramRoot);
  return async () => {
    await Promise.all([dynamo.stop(), sqs.stop(), s3.stop()]);
    const logs = readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8')).join('\n');
    const leaked = demoPersonalNumbers().filter((n) => logs.includes(n));
    if (leaked.length > 0) {
      // A teardown error alone is reported but does not fail the run: set the exit code too.
      process.exitCode = 1;
      throw new Error(`Personal numbers leaked into the test run's logs (${leaked.length}), e.g. ${leaked[0]!.slice(0, 3)}…`);
    }
    if (logs.length === 0) console.warn('log-leak check: these tests wrote no logs, so there was nothing to search');
  };
}
