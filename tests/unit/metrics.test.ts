import { describe, expect, it } from 'vitest';

import { businessMetrics, countEvent, recordRoutingLatency } from '../../shared/metrics';

/** What a call writes to stdout, where Lambda hands it to CloudWatch Logs. */
function emitted(fn: () => void): Record<string, any>[] {
  const lines: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    fn();
  } finally {
    process.stdout.write = write;
  }
  return lines.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

describe('business metrics (CloudWatch Embedded Metric Format)', () => {
  it('writes one EMF record per event, in the Anzhi namespace, at once', () => {
    const [line, ...rest] = emitted(() => countEvent(businessMetrics.requestSubmitted));
    expect(rest).toEqual([]);
    expect(line!._aws.CloudWatchMetrics).toEqual([{ Namespace: 'Anzhi', Dimensions: [['service']], Metrics: [{ Name: 'RequestsSubmitted', Unit: 'Count' }] }]);
    expect(line).toMatchObject({ service: 'anzhi', RequestsSubmitted: 1 });
  });

  it('records routing latency in milliseconds, never negative', () => {
    const [a, b] = emitted(() => {
      recordRoutingLatency(1234);
      recordRoutingLatency(-5);
    });
    expect(a!._aws.CloudWatchMetrics[0].Metrics).toEqual([{ Name: 'RoutingLatency', Unit: 'Milliseconds' }]);
    expect([a!.RoutingLatency, b!.RoutingLatency]).toEqual([1234, 0]);
  });
});
