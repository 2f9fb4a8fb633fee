/**
 * SignalsPort: Notifications PublishMessage (RAW_TEXT) and Monitoring PostMetricData in namespace
 * `keyproof` (issue 4 §6). PostMetricData takes at most 50 unique metric streams per call
 * (oci-monitoring client.d.ts), so metrics go in batches of 50, one after another (50 calls/s per
 * tenancy); datapoint timestamps are our canonical UTC ISO text (cases.md B01: never the SDK's formatting).
 */
import type { MonitoringClient, models as monitoring } from "oci-monitoring";
import { requests as ons, type NotificationDataPlaneClient } from "oci-ons";
import { toOciWrite } from "./kms-management-port.js";
import type { MetricDatum, OciWrite, SignalsPort } from "./oci-ports.js";
import type { OciCaller } from "./with-retry.js";

export const METRICS_NAMESPACE = "keyproof";
export const METRICS_PER_CALL = 50;

export function createSignalsPort(clients: { monitoring: MonitoringClient; ons: NotificationDataPlaneClient }, call: OciCaller): SignalsPort {
  return {
    async publishMessage(topicId, title, body) {
      const outcome = await call("PublishMessage", () =>
        clients.ons.publishMessage({ topicId, messageDetails: { title, body }, messageType: ons.PublishMessageRequest.MessageType.RawText }));
      return toOciWrite(outcome, { messageId: outcome.value.publishResult.messageId });
    },
    /** Several batches: failedMetricsCount and attempts are summed, opcRequestId is the last batch's. */
    async postMetricData(metrics: MetricDatum[]) {
      let result: OciWrite<{ failedMetricsCount: number }> = { value: { failedMetricsCount: 0 }, opcRequestId: null, attempts: 0, workRequestId: null };
      for (let i = 0; i < metrics.length; i += METRICS_PER_CALL) {
        const metricData: monitoring.MetricDataDetails[] = metrics.slice(i, i + METRICS_PER_CALL).map((m) => ({
          namespace: METRICS_NAMESPACE, compartmentId: m.compartmentId, name: m.name, dimensions: m.dimensions,
          // A string on the wire exactly as we formatted it (the SDK would JSON a Date the same way, but B01 asks for ours).
          datapoints: [{ timestamp: m.timestamp as unknown as Date, value: m.value }],
        }));
        const outcome = await call("PostMetricData", () => clients.monitoring.postMetricData({ postMetricDataDetails: { metricData } }));
        result = {
          ...toOciWrite(outcome, { failedMetricsCount: result.value.failedMetricsCount + outcome.value.postMetricDataResponseDetails.failedMetricsCount }),
          attempts: result.attempts + outcome.attempts,
        };
      }
      return result;
    },
  };
}
