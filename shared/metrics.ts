import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Business metrics as CloudWatch Embedded Metric Format: one log line per event, turned into
 * metrics by CloudWatch with no API call and no added latency. Published at once (not buffered
 * to the end of the invocation), so no handler has to remember to flush.
 */
let instance: Metrics | undefined;
/** Made on first use, after the runtime's environment is set (the local stack turns EMF off: no CloudWatch reads it there). */
const metrics = () => (instance ??= new Metrics({ namespace: 'Anzhi', serviceName: 'anzhi' }));

export const businessMetrics = {
  requestSubmitted: 'RequestsSubmitted',
  requestRouted: 'RequestsRouted',
  requestRerouted: 'RequestsReRouted',
  requestClosed: 'RequestsClosed',
  signUp: 'VolunteerSignUps',
} as const;
type CountMetric = (typeof businessMetrics)[keyof typeof businessMetrics];

export function countEvent(name: CountMetric, value = 1): void {
  metrics().addMetric(name, MetricUnit.Count, value);
  metrics().publishStoredMetrics();
}

/** From a request's submission to its assignment. */
export function recordRoutingLatency(ms: number): void {
  metrics().addMetric('RoutingLatency', MetricUnit.Milliseconds, Math.max(0, ms));
  metrics().publishStoredMetrics();
}
