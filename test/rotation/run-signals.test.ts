/**
 * Signals against the simulator through the real adapter (OciPorts → oci-ons / oci-monitoring):
 * what arrives at Notifications and Monitoring, what is recorded, and that a signal that fails
 * never fails the rotation.
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.js";
import type { OciPorts } from "../../src/oci/oci-ports.js";
import { buildRunMessage } from "../../src/rotation/build-run-message.js";
import { sendMonthlySummary, sendRunSignals, type SignalDeps } from "../../src/rotation/run-signals.js";
import { createSimClock } from "../../src/sim/sim-clock.js";
import { findRotationSteps, insertRotationRun } from "../../src/store/rotation-records.js";
import { fixedClock } from "../../src/time/instant.js";
import { useTestStore } from "../helpers/db.js";
import { instantRetryRuntime, portsFor } from "../helpers/oci-ports.js";
import { EXAMPLE, exampleSeed, useSimulator } from "../helpers/sim.js";
import { BUCKET_KEY_ID, keyOutcome, rekey, runError, runResult } from "./run-signals.fixtures.js";

const NOW = "2026-10-05T02:00:13.000Z";
const TOPIC = exampleSeed().topics![0]!;

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe("rotation signals against the simulator", () => {
  const suite = useSimulator({ clock: createSimClock({ start: NOW }), maxClockSkewMs: Infinity });
  const store = useTestStore("sqlite");
  let ports: OciPorts & { retryRuntime: ReturnType<typeof instantRetryRuntime> };
  beforeAll(() => {
    ports = portsFor(suite().sim, { retryRuntime: instantRetryRuntime() }) as typeof ports;
  });
  afterAll(() => ports?.close());

  const config = loadConfig({ KEYPROOF_DATABASE: ":memory:", KEYPROOF_ONS_TOPIC: TOPIC.id, KEYPROOF_METRICS_COMPARTMENT: EXAMPLE.securityId });

  async function setup(overrides: Partial<SignalDeps> = {}) {
    const { logger, lines } = captureLogger();
    const db = store().store.db;
    const runId = await insertRotationRun(db, { startedAt: "2026-10-05T02:00:00.000Z", trigger: "test", dryRun: false, holder: "test:1:x", keyFilter: null });
    const deps: SignalDeps = { signals: ports.signals, config, clock: fixedClock(NOW), logger, db, ...overrides };
    return { deps, db, runId, lines };
  }

  const callsOf = (operation: string) => suite().sim.calls.filter((c) => c.operation === operation);

  it("publishes a RAW_TEXT alert for a run with a failure and posts its metrics stamped by the injected clock", async () => {
    const { sim } = suite();
    const { deps, db, runId } = await setup();
    const result = runResult({
      runId, status: "partial",
      keys: [keyOutcome({ status: "partial", resources: [rekey(), rekey({ resourceId: "ocid1.bucket.oc1.iad.b2", displayName: "backups-weekly", status: "failed", error: runError() })] })],
    });
    const messagesBefore = sim.messages.length;
    const metricsBefore = sim.metrics.length;

    const outcomes = await sendRunSignals(deps, result);

    const expected = buildRunMessage(result);
    expect(sim.messages.slice(messagesBefore)).toEqual([
      expect.objectContaining({ topicId: TOPIC.id, title: expected.title, body: expected.body, messageType: "RAW_TEXT", principalId: EXAMPLE.user.id }),
    ]);
    expect(sim.messages.at(-1)!.body).toContain("   opc-request-id: CLIENTREQ1/OCIHOP1/OCIHOP2");
    const posted = sim.metrics.slice(metricsBefore);
    expect(posted.map((m) => [m.namespace, m.name, m.compartmentId, m.dimensions, m.datapoints])).toEqual([
      ["keyproof", "RotationsSucceeded", EXAMPLE.securityId, { job: "rotation" }, [{ timestamp: NOW, value: 1, count: 1 }]],
      ["keyproof", "RotationsFailed", EXAMPLE.securityId, { job: "rotation" }, [{ timestamp: NOW, value: 0, count: 1 }]],
      ["keyproof", "RekeysSucceeded", EXAMPLE.securityId, { job: "rotation" }, [{ timestamp: NOW, value: 1, count: 1 }]],
      ["keyproof", "RekeysFailed", EXAMPLE.securityId, { job: "rotation" }, [{ timestamp: NOW, value: 1, count: 1 }]],
      ["keyproof", "RekeysInProgress", EXAMPLE.securityId, { job: "rotation" }, [{ timestamp: NOW, value: 0, count: 1 }]],
      ["keyproof", "RunDurationMs", EXAMPLE.securityId, { job: "rotation" }, [{ timestamp: NOW, value: 12_345, count: 1 }]],
      ["keyproof", "CurrentVersionAgeDays", EXAMPLE.securityId, { keyId: EXAMPLE.bucketKey.id, keyName: "backup-objects-key" }, [{ timestamp: NOW, value: 0, count: 1 }]],
    ]);

    const publishCall = callsOf("PublishMessage").at(-1)!;
    const metricsCall = callsOf("PostMetricData").at(-1)!;
    expect(outcomes).toEqual([
      { operation: "PublishMessage", status: "sent", detail: null, opcRequestIds: [publishCall.requestId], calls: 1 },
      { operation: "PostMetricData", status: "sent", detail: null, opcRequestIds: [metricsCall.requestId], calls: 1, metricsSent: 7, metricsFailed: 0 },
    ]);
    const steps = await findRotationSteps(db, { runId });
    expect(steps.map((s) => [s.keyId, s.operation, s.resourceId, s.status, s.attempts, s.opcRequestId, s.error])).toEqual([
      ["", "PublishMessage", TOPIC.id, "succeeded", 1, publishCall.requestId, null],
      ["", "PostMetricData", EXAMPLE.securityId, "succeeded", 1, metricsCall.requestId, null],
    ]);
    expect(steps[0]!.detail).toMatchObject({ kind: "run-failure", title: expected.title, truncated: false, messageId: sim.messages.at(-1)!.messageId });
  });

  it("sends no message for a clean run, only metrics; and nothing at all for a dry run", async () => {
    const { sim } = suite();
    const { deps, runId } = await setup();
    const before = { messages: sim.messages.length, metrics: sim.metrics.length };
    const clean = await sendRunSignals(deps, runResult({ runId }));
    expect(clean.map((o) => [o.operation, o.status, o.detail])).toEqual([["PublishMessage", "skipped", "nothing to alert in the run"], ["PostMetricData", "sent", null]]);
    expect(sim.messages.length).toBe(before.messages);
    expect(sim.metrics.length).toBe(before.metrics + 7);
    const dry = await sendRunSignals(deps, runResult({ runId, dryRun: true, status: "failed", error: runError() }));
    expect(dry.map((o) => o.status)).toEqual(["skipped", "skipped"]);
    expect(sim.messages.length).toBe(before.messages);
    expect(sim.metrics.length).toBe(before.metrics + 7);
  });

  it("publishes an alert for a run without failures that only verified an overdue auto-rotating key (the plan rides on the result)", async () => {
    const { sim } = suite();
    const { deps, runId } = await setup();
    const key = keyOutcome({ status: "verified", action: "verify", strategy: "native-auto-rotation", createdThisRun: false, slot: null, newKeyVersionId: null, resources: [] });
    const item = {
      keyId: BUCKET_KEY_ID, keyName: "backup-objects-key", vaultId: key.vaultId, vaultName: "backup-vault", compartmentId: key.compartmentId,
      strategy: "native-auto-rotation" as const, status: "overdue" as const, action: "verify" as const, reason: "Native auto-rotation every 365 days; current version 300 days old, past the 90-day policy interval: non-compliant (rule 2): verify, never rotate.",
      currentKeyVersionId: "ocid1.keyversion.oc1.iad.v3", currentVersionCreated: "2025-12-09T02:00:13.000Z", currentVersionAgeDays: 300, dueAt: "2026-03-09T02:00:13.000Z",
      slot: `${BUCKET_KEY_ID}@ocid1.keyversion.oc1.iad.v3`, lineageKeyIds: [BUCKET_KEY_ID], resources: [],
    };
    const before = sim.messages.length;
    const [message] = await sendRunSignals(deps, { ...runResult({ runId, keys: [key] }), plan: { asOf: NOW, items: [item] } });
    expect(message).toMatchObject({ operation: "PublishMessage", status: "sent", calls: 1 });
    expect(sim.messages.length).toBe(before + 1);
    expect(sim.messages.at(-1)!.title).toBe(`keyproof rotation run ${runId}: succeeded, 0 failures, 1 overdue not rotated`);
  });

  it("posts 126 streams as three PostMetricData calls of at most 50", async () => {
    const { sim } = suite();
    const { deps, db, runId } = await setup();
    const keys = Array.from({ length: 120 }, (_, i) => keyOutcome({ keyId: `ocid1.key.oc1.iad.ejsppeqvaafyi.k${i}`, keyName: `key-${i}`, resources: [] }));
    const callsBefore = callsOf("PostMetricData").length;
    const metricsBefore = sim.metrics.length;
    const [, metrics] = await sendRunSignals(deps, runResult({ runId, keys }));
    expect(metrics).toMatchObject({ status: "sent", calls: 3, metricsSent: 126, metricsFailed: 0 });
    expect(callsOf("PostMetricData").length - callsBefore).toBe(3);
    expect(callsOf("PostMetricData").slice(-3).every((c) => c.status === 200)).toBe(true);
    expect(sim.metrics.length - metricsBefore).toBe(126);
    expect(new Set(sim.metrics.slice(metricsBefore).filter((m) => m.name === "CurrentVersionAgeDays").map((m) => m.dimensions.keyName)).size).toBe(120);
    expect((await findRotationSteps(db, { runId })).map((s) => s.detail)).toEqual([
      { batch: 1, of: 3, metrics: 50, failedMetricsCount: 0 }, { batch: 2, of: 3, metrics: 50, failedMetricsCount: 0 }, { batch: 3, of: 3, metrics: 26, failedMetricsCount: 0 },
    ]);
  });

  it("on ONS 429 (TooManyRequests forever) logs and records the failure, still posts the metrics, and does not throw", async () => {
    const { sim } = suite();
    const { deps, db, runId, lines } = await setup();
    const result = runResult({ runId, status: "failed", keys: [keyOutcome({ status: "failed", createdThisRun: false, resources: [], error: runError({ operation: "CreateKeyVersion" }) })] });
    const messagesBefore = sim.messages.length;
    const sleepsBefore = ports.retryRuntime.sleeps.length;
    sim.faults.set("PublishMessage", { kind: "throttle", retryAfterSeconds: 60 });
    try {
      const [message, metrics] = await sendRunSignals(deps, result);
      expect(message).toMatchObject({ operation: "PublishMessage", status: "failed", calls: 1, opcRequestIds: [] });
      expect(message!.detail).toMatch(/^429 TooManyRequests: PublishMessage: .*\(throttled, \d+ attempts\)$/);
      expect(metrics).toMatchObject({ operation: "PostMetricData", status: "sent", metricsSent: 7 });
    } finally {
      sim.faults.clear("PublishMessage");
    }
    expect(sim.messages.length).toBe(messagesBefore);
    // The retry layer honoured Retry-After: 60 on every wait (instant in tests).
    const waits = ports.retryRuntime.sleeps.slice(sleepsBefore);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((ms) => ms >= 60_000)).toBe(true);
    const [publish] = await findRotationSteps(db, { runId });
    const lastThrottled = callsOf("PublishMessage").at(-1)!;
    expect(lastThrottled.status).toBe(429);
    expect(publish).toMatchObject({ keyId: "", operation: "PublishMessage", resourceId: TOPIC.id, status: "failed", opcRequestId: lastThrottled.requestId, attempts: waits.length + 1 });
    expect(publish!.error).toContain("429 TooManyRequests");
    expect(lines.find((l) => l.msg === "notification not sent; the rotation result stands")).toMatchObject({ level: 40, runId, topicId: TOPIC.id, opcRequestId: lastThrottled.requestId });
    expect(result.status).toBe("failed"); // the run result is untouched
  });

  it("gets a message through after one 429, recording the two attempts", async () => {
    const { sim } = suite();
    const { deps, db, runId } = await setup();
    sim.faults.set("PublishMessage", { kind: "throttle", times: 1 });
    try {
      const [message] = await sendRunSignals(deps, runResult({ runId, status: "failed", error: runError() }));
      expect(message).toMatchObject({ status: "sent", calls: 1 });
    } finally {
      sim.faults.clear("PublishMessage");
    }
    expect((await findRotationSteps(db, { runId }))[0]).toMatchObject({ operation: "PublishMessage", status: "succeeded", attempts: 2 });
  });

  it("cuts a message over 64 KB so that OCI accepts it, with a note naming the run", async () => {
    const { sim } = suite();
    const { deps, db, runId } = await setup();
    const resources = Array.from({ length: 900 }, (_, i) =>
      rekey({ resourceId: `ocid1.bucket.oc1.iad.bucket${i}`, displayName: `sauvegarde-été-${i}`, status: "failed", error: runError({ opcRequestId: `REQ-${i}` }) }));
    const [message] = await sendRunSignals(deps, runResult({ runId, status: "failed", keys: [keyOutcome({ status: "partial", resources })] }));
    expect(message).toMatchObject({ status: "sent", detail: "body truncated to 64 KB" });
    const received = sim.messages.at(-1)!;
    expect(Buffer.byteLength(received.title!) + Buffer.byteLength(received.body)).toBeLessThanOrEqual(64 * 1024);
    expect(received.body).toMatch(new RegExp(`every failure is in rotation run ${runId} in the keyproof store\\]$`));
    expect((await findRotationSteps(db, { runId }))[0]!.detail).toMatchObject({ truncated: true });
  });

  it("when Monitoring fails (500 forever), still publishes the alert and reports the metrics as failed", async () => {
    const { sim } = suite();
    const { deps, db, runId } = await setup();
    sim.faults.set("PostMetricData", { kind: "internal-error" });
    let outcomes;
    try {
      outcomes = await sendRunSignals(deps, runResult({ runId, status: "failed", error: runError() }));
    } finally {
      sim.faults.clear("PostMetricData");
    }
    expect(outcomes[0]).toMatchObject({ operation: "PublishMessage", status: "sent" });
    expect(outcomes[1]).toMatchObject({ operation: "PostMetricData", status: "failed", metricsSent: 0, metricsFailed: 7 });
    expect(outcomes[1]!.detail).toMatch(/^batch 1: 500 InternalServerError: /);
    expect((await findRotationSteps(db, { runId })).map((s) => [s.operation, s.status])).toEqual([["PublishMessage", "succeeded"], ["PostMetricData", "failed"]]);
  });

  it("skips what is not configured", async () => {
    const { deps, runId } = await setup({ config: loadConfig({ KEYPROOF_DATABASE: ":memory:" }) });
    const outcomes = await sendRunSignals(deps, runResult({ runId, status: "failed", error: runError() }));
    expect(outcomes.map((o) => [o.status, o.detail])).toEqual([
      ["skipped", "signals.topicId is not configured"],
      ["skipped", "signals.metricsCompartmentId is not configured"],
    ]);
  });

  it("publishes the monthly summary", async () => {
    const { sim } = suite();
    const { deps } = await setup();
    const runs = [
      runResult({ runId: 1, startedAt: "2026-10-01T02:00:00.000Z", finishedAt: "2026-10-01T02:00:09.000Z" }),
      runResult({ runId: 2, startedAt: "2026-10-02T02:00:00.000Z", finishedAt: "2026-10-02T02:00:09.000Z", status: "failed", keys: [], error: runError() }),
    ];
    const outcome = await sendMonthlySummary(deps, { month: "2026-10", runs });
    expect(outcome).toMatchObject({ operation: "PublishMessage", status: "sent", summary: { runs: { total: 2, succeeded: 1, failed: 1 } } });
    expect(sim.messages.at(-1)).toMatchObject({ title: "keyproof rotation summary 2026-10: 1 key rotated, 1 run with problems", messageType: "RAW_TEXT" });
    expect(sim.messages.at(-1)!.body).toContain("Runs: 2 (1 succeeded, 0 partial, 1 failed, 0 skipped); 1 failure recorded.");
    expect(await sendMonthlySummary(deps, { month: "2026-13", runs })).toMatchObject({ status: "failed", summary: null });
  });
});
