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
  },
});
