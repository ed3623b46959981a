/**
 * The AWS SDK's credential chain, as bundled into the Lambda functions (esbuild aliases
 * `@aws-sdk/credential-provider-node` to this module; see infra/bundling.ts). In Lambda the runtime
 * puts the function role's credentials in the environment, so the rest of the default chain — SSO,
 * shared INI files, credential processes, web identity, container and instance metadata, each with
 * its own STS/SSO client — is never reached there, yet it was a quarter of every bundle (133 KiB).
 * Local runs and tests use the SDK's own chain (nothing aliased there).
 */
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
