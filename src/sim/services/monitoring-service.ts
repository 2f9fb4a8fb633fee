/**
 * Monitoring ingestion (`MonitoringClient`, oci-monitoring, OCI-NOTES §2.9): PostMetricData
 * `POST /20180401/metrics` → `{failedMetricsCount, failedMetrics}`. Validation per metric object
 * (monitoring/validate-metric-data.ts); more than 50 unique streams in one call is 400 for the whole
 * call; NON_ATOMIC (default) keeps the valid objects and lists the others, but answers 400 when none
 * passes; ATOMIC answers 400 when any fails. Accepted objects are kept for tests (`sim.metrics`).
 * 50 calls per second per tenancy (OCI's documented TPS), 429 above.
 */
import { appendPostedMetrics, type PostedMetric } from "../monitoring/posted-metrics.js";
import { metricDataError, metricStreamKey, type MetricDataInput } from "../monitoring/validate-metric-data.js";
import { invalid, missing } from "../sim-error.js";
import type { OpContext, SimService } from "../sim-service.js";

export const MAX_STREAMS_PER_CALL = 50;

function toPosted(m: MetricDataInput, receivedAt: string): PostedMetric {
  const points = m.datapoints as { timestamp: string; value: number; count?: number | null }[];
  return {
    namespace: m.namespace as string, name: m.name as string, compartmentId: m.compartmentId as string,
    resourceGroup: (m.resourceGroup as string | undefined) ?? null,
    dimensions: { ...(m.dimensions as Record<string, string>) },
    metadata: m.metadata ? { ...(m.metadata as Record<string, string>) } : null,
    datapoints: points.map((p) => ({ timestamp: new Date(p.timestamp).toISOString(), value: p.value, count: p.count ?? 1 })),
    receivedAt,
  };
}

function postMetricData(ctx: OpContext) {
  const body = ctx.body as { metricData?: unknown; batchAtomicity?: unknown } | undefined;
  const metricData = body?.metricData;
  if (metricData === undefined || metricData === null) throw missing("metricData");
  if (!Array.isArray(metricData) || metricData.length === 0) throw invalid("metricData", "expected at least one metric object");
  const atomicity = body?.batchAtomicity ?? "NON_ATOMIC";
  if (atomicity !== "ATOMIC" && atomicity !== "NON_ATOMIC") throw invalid("batchAtomicity", "must be ATOMIC or NON_ATOMIC");
  const items = metricData as MetricDataInput[];
  const first = items[0]?.compartmentId;
  const known = (id: string) => id === ctx.state.tenancy.id || ctx.state.compartments.has(id);
  ctx.audit.compartmentId = typeof first === "string" && known(first) ? first : ctx.state.tenancy.id;
  ctx.audit.resourceId = null;
  const streams = new Set(items.map(metricStreamKey)).size;
  if (streams > MAX_STREAMS_PER_CALL) throw invalid("metricData", `${streams} unique metric streams in one call; the limit is ${MAX_STREAMS_PER_CALL}`);

  const failedMetrics: { message: string; metricData: MetricDataInput }[] = [];
  const accepted: MetricDataInput[] = [];
  for (const m of items) {
    const error = typeof m === "object" && m !== null ? metricDataError(m, ctx.now.getTime(), known) : "each metric object must be an object";
    if (error) failedMetrics.push({ message: error, metricData: m });
    else accepted.push(m);
  }
  if (failedMetrics.length > 0 && (atomicity === "ATOMIC" || accepted.length === 0)) {
    throw invalid("metricData", failedMetrics.map((f) => f.message).join("; "));
  }
  appendPostedMetrics(ctx.state, accepted.map((m) => toPosted(m, ctx.now.toISOString())));
  const result = { failedMetricsCount: failedMetrics.length, failedMetrics };
  ctx.audit.payload = { failedMetricsCount: failedMetrics.length };
  return { body: result };
}

export const monitoringService: SimService = {
  name: "monitoring",
  basePath: "/monitoring",
  auditSource: "TelemetryIngestion",
  writesPerSecond: 50,
  operations: [{ name: "PostMetricData", method: "POST", path: "/20180401/metrics", write: true, handle: postMetricData }],
};
