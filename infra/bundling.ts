import { resolve } from 'node:path';

import type { BuildOptions } from 'esbuild';

/**
 * How every Lambda function is bundled — one definition for the stack (AppFunction), the bundle
 * budget test (tests/infra/bundles.test.ts) and the bench, so what is measured is what deploys.
 */
export const projectRoot = resolve(import.meta.dirname, '..');

/** Bundled CommonJS dependencies call require() for Node built-ins. */
export const esmRequireBanner = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/** Modules swapped for what a function needs in Lambda (see shared/aws-lambda-credentials.ts). */
export const lambdaAliases: Record<string, string> = {
  '@aws-sdk/credential-provider-node': resolve(projectRoot, 'shared/aws-lambda-credentials.ts'),
};

/** The same options as esbuild's JavaScript API takes them. */
export const lambdaEsbuildOptions: BuildOptions = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: { js: esmRequireBanner },
  alias: lambdaAliases,
};
