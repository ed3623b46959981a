// The AWS SDK's Node 20 notice would otherwise open every test run's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

import { defineConfig } from 'vitest/config';

// What both projects share. Not `extends: true`: that would run the global setup once per project
// (three DynamoDB Locals), where the run needs one.
const projectDefaults = { setupFiles: ['tests/support/setup-env.ts'], testTimeout: 60_000, hookTimeout: 120_000, pool: 'forks' as const };

const heavy = ['tests/integration/requests-resilience.test.ts', 'tests/integration/demo-history.test.ts', 'tests/integration/volunteers.test.ts', 'tests/integration/crash-restart.test.ts'];

export default defineConfig({
  test: {
    // One DynamoDB Local and one SQS emulator for the whole run; each test file makes its own
    // uniquely prefixed table and queues on them.
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/setup-env.ts'],
    exclude: ['tests/bench/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: more workers only contend with DynamoDB Local's JVM.
    maxWorkers: 2,
    // console.* of the tests reaches this process, not the workers' stdout: keep it for the
    // run-wide personal-number leak check too (tests/support/global-setup.ts).
    onConsoleLog(log) {
      if (process.env.TEST_LOG_DIR) appendFileSync(join(process.env.TEST_LOG_DIR, 'console.log'), log);
    },
    projects: [
      { test: { ...projectDefaults, name: 'main', include: ['tests/**/*.test.ts'], exclude: [...heavy, 'tests/bench/**'], sequence: { groupOrder: 0 } } },
      // The load tests (thousands of concurrent writes on one machine's DynamoDB Local) each
      // need the machine to themselves: run after the rest, one file at a time.
      { test: { ...projectDefaults, name: 'load', include: heavy, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
