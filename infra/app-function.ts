import { dirname, join, resolve } from 'node:path';

import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps,OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';

import { esmRequireBanner, lambdaAliases, projectRoot } from './bundling';

export { projectRoot };

export interface AppFunctionProps {
  /** Module relative to the project root, exporting `handler`. */
  entry: string;
  timeoutSeconds?: number;
  memoryMb?: number;
  environment?: Record<string, string>;
  description?: string;
  /** Files copied into the bundle beside the handler (`to` relative to it): the agreement routes' CJK font. */
  files?: readonly { from: string; to: string }[];
}

/**
 * The one function construct: Node.js 22 on arm64, esbuild-bundled, minified, ESM, with source
 * maps, a log group with a retention, and the shared environment merged under its own.
 */
export class AppFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AppFunctionProps & { sharedEnvironment: Record<string, string> }) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.THREE_MONTHS });
    const fnProps: NodejsFunctionProps = {
      entry: resolve(projectRoot, props.entry),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb ?? 512,
      timeout: Duration.seconds(props.timeoutSeconds ?? 10),
      description: props.description,
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      projectRoot,
      depsLockFilePath: resolve(projectRoot, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'anzhi',
        ...props.sharedEnvironment,
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: 'node22',
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: esmRequireBanner,
        // The same aliases the bundle budget test and the bench build with (infra/bundling.ts).
        esbuildArgs: Object.fromEntries(Object.entries(lambdaAliases).map(([from, to]) => [`--alias:${from}`, to])),
        // The Lambda runtime ships the AWS SDK v3, but pinning our own version keeps local and AWS alike.
        externalModules: [],
        ...(props.files?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_input: string, output: string) => props.files!.flatMap((f) => [`mkdir -p "${dirname(join(output, f.to))}"`, `cp "${f.from}" "${join(output, f.to)}"`]),
              },
            }
          : {}),
      },
    };
    super(scope, id, fnProps);
    // Active tracing grants xray:PutTraceSegments / PutTelemetryRecords, which have no
    // resource-level permissions: that is the one `Resource: *` a function's role may hold
    // (tests/infra/stack.test.ts fails on any other), so it is suppressed here, on the role, not stack-wide.
    NagSuppressions.addResourceSuppressions(
      this.role!,
      [{ id: 'AwsSolutions-IAM5', reason: 'X-Ray trace writes (xray:PutTraceSegments, xray:PutTelemetryRecords) have no resource-level permissions.', appliesTo: ['Resource::*'] }],
      true,
    );
  }
}
