import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** One place for how the on-call engineer is told: every alarm notifies the topic, on alarm and on recovery. */
export function notifyOnCall(alarm: cloudwatch.Alarm, topic: sns.ITopic): cloudwatch.Alarm {
  alarm.addAlarmAction(new cwActions.SnsAction(topic));
  alarm.addOkAction(new cwActions.SnsAction(topic));
  return alarm;
}

/**
 * A function's two alarms: any error (an unhandled exception, a timeout, a crash) and any
 * throttle within five minutes. Both are rare in a healthy system, so one is worth a look.
 */
export class FunctionAlarms extends Construct {
  readonly errors: cloudwatch.Alarm;
  readonly throttles: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, fn: lambda.IFunction, what: string, topic: sns.ITopic) {
    super(scope, id);
    const period = Duration.minutes(5);
    this.errors = notifyOnCall(
      new cloudwatch.Alarm(this, 'Errors', {
        alarmDescription: `${what} failed (unhandled error, timeout or crash)`,
        metric: fn.metricErrors({ period, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      topic,
    );
    this.throttles = notifyOnCall(
      new cloudwatch.Alarm(this, 'Throttles', {
        alarmDescription: `${what} was throttled (concurrency limit reached)`,
        metric: fn.metricThrottles({ period, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      topic,
    );
  }
}
