import { describe, expect, it } from "vitest";
import { buildMonthlySummary, buildMonthlySummaryMessage } from "../../src/rotation/build-monthly-summary.js";
import { buildRunMessage, collectRunFailures, runNeedsAlert } from "../../src/rotation/build-run-message.js";
import { batchMetrics, buildRunMetrics } from "../../src/rotation/build-run-metrics.js";
import { fitOnsMessage, ONS_MAX_MESSAGE_BYTES, redactSecretText, truncateUtf8 } from "../../src/rotation/fit-ons-message.js";
import { BUCKET_KEY_ID, COMPARTMENT_ID, finding, keyOutcome, rekey, runError, runResult, VOLUME_KEY_ID } from "./run-signals.fixtures.js";

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

describe("collectRunFailures / runNeedsAlert", () => {
  it("lists the run error, each key error, each failed re-key and failed steps not already covered, once each", () => {
    const result = runResult({
      status: "partial",
      error: runError({ operation: "SearchResources", message: "Internal Server Error", statusCode: 500, serviceCode: "InternalServerError", reason: "server-error", attempts: 6, opcRequestId: "RUNREQ" }),
      keys: [
        keyOutcome({
          status: "partial",
          resources: [rekey(), rekey({ resourceId: "ocid1.bucket.oc1.iad.b2", displayName: "backups-weekly", status: "failed", error: runError() })],
          steps: [
            { operation: "ReencryptBucket", status: "failed", resourceId: "ocid1.bucket.oc1.iad.b2", attempts: 6, opcRequestId: "X", workRequestId: null, error: runError(), startedAt: "2026-10-05T02:00:01.000Z", finishedAt: "2026-10-05T02:00:05.000Z" },
            { operation: "GetWorkRequest", status: "failed", resourceId: "ocid1.bucket.oc1.iad.b3", attempts: 1, opcRequestId: "WRREQ", workRequestId: "wr3", error: null, startedAt: "2026-10-05T02:00:06.000Z", finishedAt: null },
          ],
        }),
        keyOutcome({
          keyId: VOLUME_KEY_ID, keyName: "backup-volumes-2026-04", strategy: "successor-key", status: "failed", createdThisRun: false, resources: [],
          error: runError({ operation: "CreateKey", message: "Authorization failed or requested resource not found.", statusCode: 404, serviceCode: "NotAuthorizedOrNotFound", reason: "not-authorized-or-not-found", attempts: 1, opcRequestId: "KEYREQ" }),
        }),
      ],
    });
    const failures = collectRunFailures(result);
    expect(failures.map((f) => [f.operation, f.keyId, f.resourceId, f.opcRequestId])).toEqual([
      ["SearchResources", null, null, "RUNREQ"],
      ["ReencryptBucket", BUCKET_KEY_ID, "ocid1.bucket.oc1.iad.b2", "CLIENTREQ1/OCIHOP1/OCIHOP2"],
      ["GetWorkRequest", BUCKET_KEY_ID, "ocid1.bucket.oc1.iad.b3", "WRREQ"],
      ["CreateKey", VOLUME_KEY_ID, null, "KEYREQ"],
    ]);
    expect(failures[0]!.error).toBe("500 InternalServerError: Internal Server Error (server-error, 6 attempts)");
    expect(failures[3]!.error).toBe("404 NotAuthorizedOrNotFound: Authorization failed or requested resource not found. (not-authorized-or-not-found)");
    expect(runNeedsAlert(result)).toBe(true);
  });

  it("does not alert for a clean run or any dry run, and alerts for a partial run with only work requests in progress", () => {
    expect(runNeedsAlert(runResult())).toBe(false);
    expect(runNeedsAlert(runResult({ dryRun: true, status: "failed", error: runError() }))).toBe(false);
    const inProgress = runResult({ status: "partial", keys: [keyOutcome({ status: "partial", resources: [rekey({ status: "in-progress" })] })] });
    expect(collectRunFailures(inProgress)).toEqual([]);
    expect(runNeedsAlert(inProgress)).toBe(true);
    expect(buildRunMessage(inProgress).body).toContain("Still in progress (1; checked again on the next run):\n- backups-daily (ocid1.bucket.oc1.iad.aaaaaaaabackupsdaily), key backup-objects-key, work request ocid1.objectstorageworkrequest.oc1.iad.wr1");
  });
});

describe("buildRunMessage", () => {
  it("names what failed, the key, the resource, the error, the opc-request-id and the run id", () => {
    const result = runResult({
      status: "partial",
      keys: [keyOutcome({ status: "partial", resources: [rekey(), rekey({ resourceId: "ocid1.bucket.oc1.iad.b2", displayName: "backups-weekly", status: "failed", workRequestId: null, error: runError() })] })],
      findings: [finding(), finding({ severity: "medium", code: "EXTERNAL_KEY", message: "Key ext is EXTERNAL." })],
    });
    const message = buildRunMessage(result);
    expect(message.title).toBe("keyproof rotation run 42: partial, 1 failure");
    expect(message.truncated).toBe(false);
    expect(message.body).toContain(
      [
        "Failures (1):",
        "1. ReencryptBucket failed",
        `   key: backup-objects-key (${BUCKET_KEY_ID})`,
        "   resource: backups-weekly (ocid1.bucket.oc1.iad.b2)",
        "   error: 429 TooManyRequests: Too many requests for the tenancy (throttled, 6 attempts)",
        "   opc-request-id: CLIENTREQ1/OCIHOP1/OCIHOP2",
      ].join("\n"),
    );
    expect(message.body).toContain("Started 2026-10-05T02:00:00.000Z, finished 2026-10-05T02:00:12.345Z (12345 ms), trigger schedule.");
    expect(message.body).toContain("Re-keys: 1 succeeded, 1 failed, 0 in progress.");
    expect(message.body).toContain("Open findings: 2 (1 critical).\n- RESOURCE_ON_KEY_PENDING_DELETION: Volume vol9 uses key old-key");
    expect(message.body).not.toContain("Key ext is EXTERNAL."); // only critical findings are spelled out
    expect(message.body).toContain("rotation run 42 in the keyproof store");
  });

  it("cuts a message over 64 KB at a character boundary, with a note naming the run, and keeps title + body ≤ 65,536 bytes", () => {
    const resources = Array.from({ length: 900 }, (_, i) =>
      rekey({ resourceId: `ocid1.bucket.oc1.iad.bucket${i}`, displayName: `sauvegarde-été-鍵-${i}`, status: "failed", error: runError({ opcRequestId: `REQ-${i}` }) }));
    const message = buildRunMessage(runResult({ status: "failed", keys: [keyOutcome({ status: "partial", resources })] }));
    expect(message.truncated).toBe(true);
    expect(message.title).toBe("keyproof rotation run 42: failed, 900 failures");
    expect(bytes(message.title) + bytes(message.body)).toBeLessThanOrEqual(ONS_MAX_MESSAGE_BYTES);
    expect(bytes(message.title) + bytes(message.body)).toBeGreaterThan(ONS_MAX_MESSAGE_BYTES - 200);
    expect(message.body).toMatch(/\n\n\[truncated: \d+ of \d+ bytes shown \(Notifications allows 64 KB\); every failure is in rotation run 42 in the keyproof store\]$/);
    expect(message.body).not.toContain("\uFFFD");
    expect(message.body).toContain("1. ReencryptBucket failed");
    const [, shown, total] = /\[truncated: (\d+) of (\d+) bytes/.exec(message.body)!;
    expect(Number(total)).toBeGreaterThan(ONS_MAX_MESSAGE_BYTES);
    expect(Number(shown)).toBe(bytes(message.body.slice(0, message.body.lastIndexOf("\n\n[truncated"))));
  });

  it("redacts private keys, signatures and tokens that reach an error text", () => {
    const leaked = runError({
      message: 'bad request: authorization: Signature keyId="x",signature="c2VjcmV0" -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY----- token ST$eyJhbGciOi.abc',
    });
    const body = buildRunMessage(runResult({ status: "failed", keys: [keyOutcome({ status: "failed", resources: [], error: leaked })] })).body;
    expect(body).not.toMatch(/MIIEvQ|c2VjcmV0|eyJhbGciOi|BEGIN PRIVATE KEY/);
    expect(body).toContain("[private key redacted]");
    expect(body).toContain("[token redacted]");
    expect(redactSecretText('signature="abc" rest')).toBe("signature=[redacted] rest");
  });
});

describe("fitOnsMessage / truncateUtf8", () => {
  it("keeps a message of exactly 64 KB whole and cuts one byte more", () => {
    expect(fitOnsMessage("t", "a".repeat(ONS_MAX_MESSAGE_BYTES - 1)).truncated).toBe(false);
    const cut = fitOnsMessage("t", "a".repeat(ONS_MAX_MESSAGE_BYTES));
    expect(cut.truncated).toBe(true);
    expect(bytes(cut.title) + bytes(cut.body)).toBeLessThanOrEqual(ONS_MAX_MESSAGE_BYTES);
  });

  it("never splits a multi-byte character", () => {
    expect(truncateUtf8("a鍵b", 2)).toBe("a"); // 鍵 is 3 bytes
    expect(truncateUtf8("a鍵b", 4)).toBe("a鍵");
    expect(truncateUtf8("😀😀", 5)).toBe("😀");
  });
});

describe("buildRunMetrics / batchMetrics", () => {
  const timestamp = "2026-10-05T02:00:13.000Z";

  it("gives the run counters, the duration and the current version age per key, all at the given timestamp", () => {
    const result = runResult({
      status: "partial",
      keys: [
        keyOutcome({ resources: [rekey(), rekey({ resourceId: "b2", status: "failed" }), rekey({ resourceId: "b3", status: "in-progress" })] }),
        keyOutcome({ keyId: VOLUME_KEY_ID, keyName: "backup-volumes-2026-04", status: "failed", createdThisRun: false, currentVersionCreated: "2026-07-07T02:00:13.001Z", resources: [rekey({ resourceId: "v1", kind: "volume", status: "skipped" })] }),
        keyOutcome({ keyId: "ocid1.key.oc1.iad.notdue", keyName: "k3", status: "not-due", createdThisRun: false, currentVersionCreated: null, resources: [] }),
      ],
    });
    const metrics = buildRunMetrics(result, { compartmentId: COMPARTMENT_ID, timestamp });
    expect(metrics.map((m) => [m.name, m.dimensions, m.value])).toEqual([
      ["RotationsSucceeded", { job: "rotation" }, 1],
      ["RotationsFailed", { job: "rotation" }, 1],
      ["RekeysSucceeded", { job: "rotation" }, 1],
      ["RekeysFailed", { job: "rotation" }, 1],
      ["RekeysInProgress", { job: "rotation" }, 1],
      ["RunDurationMs", { job: "rotation" }, 12_345],
      ["CurrentVersionAgeDays", { keyId: BUCKET_KEY_ID, keyName: "backup-objects-key" }, 0],
      // 89 days 23:59:59.999 → 89 (whole days, floor, as the plan counts them)
      ["CurrentVersionAgeDays", { keyId: VOLUME_KEY_ID, keyName: "backup-volumes-2026-04" }, 89],
    ]);
    expect(new Set(metrics.map((m) => m.timestamp))).toEqual(new Set([timestamp]));
    expect(new Set(metrics.map((m) => m.compartmentId))).toEqual(new Set([COMPARTMENT_ID]));
  });

  it("gives nothing for a dry run", () => {
    expect(buildRunMetrics(runResult({ dryRun: true }), { compartmentId: COMPARTMENT_ID, timestamp })).toEqual([]);
  });

  it("batches 126 streams as 50 + 50 + 26 and refuses a batch size below 1", () => {
    const keys = Array.from({ length: 120 }, (_, i) => keyOutcome({ keyId: `ocid1.key.oc1.iad.k${i}`, keyName: `k${i}` }));
    const metrics = buildRunMetrics(runResult({ keys }), { compartmentId: COMPARTMENT_ID, timestamp });
    expect(metrics).toHaveLength(126);
    expect(batchMetrics(metrics).map((b) => b.length)).toEqual([50, 50, 26]);
    expect(batchMetrics(metrics).flat()).toEqual(metrics);
    expect(() => batchMetrics(metrics, 0)).toThrow(RangeError);
  });
});

describe("buildMonthlySummary", () => {
  const octRun = (runId: number, startedAt: string, overrides = {}) => runResult({ runId, startedAt, finishedAt: startedAt.replace(":00.000Z", ":30.000Z"), ...overrides });

  it("counts the month's runs by status, distinct keys rotated, resources re-keyed (latest outcome wins) and the last run's findings", () => {
    const runs = [
      octRun(1, "2026-09-30T23:59:00.000Z", { status: "failed" }), // September: ignored
      octRun(2, "2026-10-01T00:00:00.000Z", { status: "partial", keys: [keyOutcome({ status: "partial", resources: [rekey({ resourceId: "b1", status: "failed", error: runError() }), rekey({ resourceId: "b2" })] })] }),
      octRun(3, "2026-10-02T02:00:00.000Z", { status: "succeeded", keys: [keyOutcome({ status: "rekeyed", createdThisRun: false, resources: [rekey({ resourceId: "b1" }), rekey({ resourceId: "b2", status: "skipped" })] })] }),
      octRun(4, "2026-10-15T02:00:00.000Z", { status: "failed", keys: [keyOutcome({ keyId: VOLUME_KEY_ID, keyName: "vol-key", status: "failed", createdThisRun: false, resources: [], error: runError({ operation: "CreateKey" }) })], findings: [finding(), finding({ severity: "low", code: "KEY_DISABLED" })] }),
      octRun(5, "2026-10-20T02:00:00.000Z", { dryRun: true, status: "failed" }), // dry run: ignored
      octRun(6, "2026-10-31T23:59:00.000Z", { status: "skipped", keys: [keyOutcome({ keyId: VOLUME_KEY_ID, keyName: "vol-key", strategy: "successor-key", successorKeyId: "ocid1.key.oc1.iad.successor", newKeyVersionId: null, resources: [rekey({ resourceId: "v1", kind: "volume", status: "in-progress" })] })], findings: [finding({ severity: "high", code: "EXTERNAL_KEY", message: "Key ext is EXTERNAL." })] }),
      octRun(7, "2026-11-01T00:00:00.000Z", { status: "failed" }), // November: ignored
    ];
    const summary = buildMonthlySummary("2026-10", [...runs].reverse());
    expect(summary.period).toEqual({ start: "2026-10-01T00:00:00.000Z", end: "2026-11-01T00:00:00.000Z" });
    expect(summary.runs).toEqual({ succeeded: 1, partial: 1, failed: 1, skipped: 1, total: 4 });
    expect(summary.failures).toBe(2);
    expect(summary.keysRotated).toEqual([
      { keyId: BUCKET_KEY_ID, keyName: "backup-objects-key", at: "2026-10-01T00:00:30.000Z", newKeyVersionId: "ocid1.keyversion.oc1.iad.v4", successorKeyId: null },
      { keyId: VOLUME_KEY_ID, keyName: "vol-key", at: "2026-10-31T23:59:30.000Z", newKeyVersionId: null, successorKeyId: "ocid1.key.oc1.iad.successor" },
    ]);
    expect(summary.resourcesRekeyed).toBe(2); // b1 (after failing first) and b2
    expect(summary.resourcesFailed).toBe(0);
    expect(summary.resourcesInProgress).toBe(1);
    expect(summary.openFindings.total).toBe(1);
    expect(summary.openFindings.bySeverity).toEqual({ critical: 0, high: 1, medium: 0, low: 0 });
    expect(summary.lastRunAt).toBe("2026-10-31T23:59:30.000Z");

    const message = buildMonthlySummaryMessage(summary);
    expect(message.title).toBe("keyproof rotation summary 2026-10: 2 keys rotated, 2 runs with problems");
    expect(message.body).toContain("Runs: 4 (1 succeeded, 1 partial, 1 failed, 1 skipped); 2 failures recorded.");
    expect(message.body).toContain("Resources re-keyed: 2; last outcome failed: 0; still in progress: 1.");
    expect(message.body).toContain("Open findings: 1 (0 critical, 1 high, 0 medium, 0 low).");
    expect(message.body).toContain("- vol-key (" + VOLUME_KEY_ID + ") at 2026-10-31T23:59:30.000Z: successor key ocid1.key.oc1.iad.successor");
    expect(message.body).toContain("- [high] EXTERNAL_KEY: Key ext is EXTERNAL.");
  });

  it("summarises a month without runs as zeros, and refuses a malformed month", () => {
    const summary = buildMonthlySummary("2024-02", [runResult()]);
    expect(summary.runs.total).toBe(0);
    expect(summary.period.end).toBe("2024-03-01T00:00:00.000Z");
    expect(summary.lastRunAt).toBeNull();
    expect(buildMonthlySummaryMessage(summary).body).toContain("Last run: none this month.");
    expect(() => buildMonthlySummary("2026-13", [])).toThrow(TypeError);
  });
});
