// The AWS SDK's Node 20 notice would otherwise open every test run's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One DynamoDB Local and one SQS emulator for the whole run; each test file makes its own
    // uniquely prefixed table and queues on them.
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/setup-env.ts'],
    include: ['tests/**/*.test.ts'],
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
  },
});
