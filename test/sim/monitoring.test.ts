import * as common from "oci-common";
import { MonitoringClient, type models } from "oci-monitoring";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimClock } from "../../src/sim/sim-clock.js";
import { EXAMPLE, useSimulator } from "../helpers/sim.js";

const NOW = "2026-07-10T10:00:00.000Z";

function metric(overrides: Partial<models.MetricDataDetails> = {}): models.MetricDataDetails {
  return {
    namespace: "keyproof", name: "rotation.age_days", compartmentId: EXAMPLE.securityId,
    dimensions: { keyId: EXAMPLE.bucketKey.id }, datapoints: [{ timestamp: new Date(NOW), value: 12 }], ...overrides,
  };
}

describe("Monitoring PostMetricData through MonitoringClient", () => {
  const suite = useSimulator({ clock: createSimClock({ start: NOW }), maxClockSkewMs: Infinity });
  let monitoring: MonitoringClient;
  beforeAll(() => {
    const { sim, provider } = suite();
    monitoring = new MonitoringClient({ authenticationDetailsProvider: provider }, { circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }) });
    monitoring.endpoint = sim.endpoints.monitoring;
  });
  afterAll(() => monitoring?.close());
  const post = (metricData: models.MetricDataDetails[], batchAtomicity?: models.PostMetricDataDetails.BatchAtomicity) =>
    monitoring.postMetricData({ postMetricDataDetails: { metricData, ...(batchAtomicity ? { batchAtomicity } : {}) } });

  it("accepts valid metric objects and keeps their datapoints for tests to read", async () => {
    const { sim } = suite();
    const before = sim.metrics.length;
    const { postMetricDataResponseDetails: result, opcRequestId } = await post([
      metric(), metric({ name: "rotation.succeeded", resourceGroup: "backup-keys", metadata: { unit: "count" }, datapoints: [{ timestamp: new Date(NOW), value: 1, count: 3 }] }),
    ]);
    expect(result).toEqual({ failedMetricsCount: 0, failedMetrics: [] });
    expect(opcRequestId).toMatch(/\S/);
    expect(sim.metrics.slice(before)).toEqual([
      {
        namespace: "keyproof", name: "rotation.age_days", compartmentId: EXAMPLE.securityId, resourceGroup: null,
        dimensions: { keyId: EXAMPLE.bucketKey.id }, metadata: null, datapoints: [{ timestamp: NOW, value: 12, count: 1 }], receivedAt: NOW,
      },
      expect.objectContaining({ name: "rotation.succeeded", resourceGroup: "backup-keys", metadata: { unit: "count" }, datapoints: [{ timestamp: NOW, value: 1, count: 3 }] }),
    ]);
    expect(sim.audit.events().at(-1)).toMatchObject({ eventType: "com.oraclecloud.TelemetryIngestion.PostMetricData", data: { compartmentId: EXAMPLE.securityId } });
  });

  it("keeps the valid objects of a NON_ATOMIC call and names why the others failed", async () => {
    const { sim } = suite();
    const before = sim.metrics.length;
    const tooMany = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`d${i}`, "x"]));
    const stale = new Date(Date.parse(NOW) - 3 * 3_600_000);
    const bad = [
      metric({ namespace: "oci_keyproof" }), metric({ namespace: "1keyproof" }), metric({ name: "rotation age" }),
      metric({ dimensions: tooMany }), metric({ dimensions: {} }), metric({ datapoints: [{ timestamp: stale, value: 1 }] }),
      metric({ datapoints: [] }), metric({ compartmentId: "ocid1.compartment.oc1..aaaaaaaanosuchcompartment" }),
    ];
    const { postMetricDataResponseDetails: result } = await post([metric({ name: "ok" }), ...bad]);
    expect(result.failedMetricsCount).toBe(bad.length);
    expect(result.failedMetrics!.map((f) => f.message)).toEqual([
      expect.stringContaining("namespace"), expect.stringContaining("namespace"), expect.stringContaining("name"),
      expect.stringContaining("1 to 20 dimensions, got 21"), expect.stringContaining("1 to 20 dimensions, got 0"),
      expect.stringContaining("2 hours"), expect.stringContaining("at least one datapoint"), expect.stringContaining("not found"),
    ]);
    expect(result.failedMetrics![0]!.metricData.namespace).toBe("oci_keyproof");
    expect(sim.metrics.slice(before).map((m) => m.name)).toEqual(["ok"]);
  });

  it("rejects the whole call with 400 when ATOMIC has a failure, when nothing passes, or above 50 streams", async () => {
    const { sim } = suite();
    const before = sim.metrics.length;
    await expect(post([metric(), metric({ namespace: "oracle_x" })], "ATOMIC" as models.PostMetricDataDetails.BatchAtomicity))
      .rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter", message: expect.stringContaining("reserved prefix") });
    await expect(post([metric({ namespace: "oracle_x" })])).rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    const streams = (n: number) => Array.from({ length: n }, (_, i) => metric({ dimensions: { keyId: `key-${i}` } }));
    await expect(post(streams(51))).rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining("51 unique metric streams") });
    expect(sim.metrics.length).toBe(before);
    const fifty = await post([...streams(50), metric({ dimensions: { keyId: "key-0" } })]);
    expect(fifty.postMetricDataResponseDetails.failedMetricsCount).toBe(0);
    expect(sim.metrics.length).toBe(before + 51);
  });
});
