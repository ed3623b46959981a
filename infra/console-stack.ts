import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { Duration, NestedStack, type NestedStackProps,RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';

import { consolePath, consoleSecurityHeaders } from './console-site';

/** The console's build (`npm run console:build`, which `npm run synth` runs first). */
export const consoleDist = resolve(import.meta.dirname, '../console/dist');

/**
 * The staff console in AWS: its static build in a private bucket that only CloudFront may read
 * (origin access control), one distribution that serves it under /console/ with a security-headers
 * policy, and /v1/* sent to the HttpApi through the same distribution — the console calls the API
 * on its own origin, so there is no CORS to configure and no second host to trust.
 */
export class ConsoleStack extends NestedStack {
  readonly distribution: cloudfront.Distribution;
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: NestedStackProps & { api: apigw.IHttpApi; prod: boolean; uploadDomain: string }) {
    super(scope, id, props);
    if (!existsSync(resolve(consoleDist, 'index.html'))) throw new Error(`The console is not built (${consoleDist}): run npm run console:build before synth or deploy.`);

    const logs = new s3.Bucket(this, 'ConsoleLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront writes its standard logs with ACLs.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: props.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.prod,
    });
    this.bucket = new s3.Bucket(this, 'ConsoleSite', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'ConsoleHeaders', {
      comment: 'Staff console: CSP, HSTS, no framing, no sniffing',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleSecurityHeaders.contentSecurityPolicy(`https://${props.uploadDomain}`), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.seconds(consoleSecurityHeaders.hstsMaxAgeSeconds), includeSubdomains: true, override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.SAME_ORIGIN, override: true },
      },
    });
    const apiDomain = `${props.api.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
    const site = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    this.distribution = new cloudfront.Distribution(this, 'ConsoleDistribution', {
      comment: 'Staff console and its API',
      defaultRootObject: '',
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cdn/',
      defaultBehavior: {
        origin: site,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
      },
      additionalBehaviors: {
        // The API through the same origin: never cached, every header but Host forwarded.
        '/v1/*': {
          origin: new origins.HttpOrigin(apiDomain, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
    });

    new s3deploy.BucketDeployment(this, 'ConsoleFiles', {
      sources: [s3deploy.Source.asset(consoleDist)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: consolePath.slice(1),
      distribution: this.distribution,
      distributionPaths: [`${consolePath}index.html`],
      // index.html is small and changes with every deploy; hashed assets are immutable.
      cacheControl: [s3deploy.CacheControl.fromString('public, max-age=300')],
      memoryLimit: 512,
    });

    NagSuppressions.addResourceSuppressions(
      this.distribution,
      [
        { id: 'AwsSolutions-CFR1', reason: 'Staff in the sub-district work from China and travel; geo restriction would lock out a worker on a trip. Access is by signed-in staff sessions.' },
        { id: 'AwsSolutions-CFR2', reason: 'No web ACL yet: the site is static, the API stage keeps its own throttling (500 rps, burst 1000) and every /v1 route but sign-in authenticates; attach the sub-district\'s WAF ACL to the distribution when one is provisioned.' },
        { id: 'AwsSolutions-CFR4', reason: 'The default CloudFront certificate (fixed TLSv1 policy) until the sub-district attaches its ICP-registered domain and certificate; then set minimumProtocolVersion TLSv1.2_2021.' },
      ],
      true,
    );
    NagSuppressions.addResourceSuppressions(logs, [{ id: 'AwsSolutions-S1', reason: 'This is the access-log bucket itself.' }]);
    // The only functions and roles of this nested stack are CDK's own (the deployment that copies
    // the build into the bucket, and the bucket cleaner of non-production stages).
    NagSuppressions.addStackSuppressions(this, [
      { id: 'AwsSolutions-IAM4', reason: 'CDK-provided deployment/cleanup handlers use the AWS managed basic execution role.' },
      { id: 'AwsSolutions-IAM5', reason: 'CDK-provided deployment handler copies every object of the console build into its own bucket (wildcards on that bucket only).' },
      { id: 'AwsSolutions-L1', reason: 'The runtime of CDK-provided custom resource handlers is chosen by CDK.' },
    ]);
  }
}
