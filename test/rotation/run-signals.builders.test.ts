import { describe, expect, it } from "vitest";
import { buildMonthlySummary, buildMonthlySummaryMessage } from "../../src/rotation/build-monthly-summary.js";
import { OciCallError } from "../../src/oci/oci-ports.js";
import { buildRunMessage, collectRunFailures, formatOciError, overdueNotRotated, runNeedsAlert } from "../../src/rotation/build-run-message.js";
import { batchMetrics, buildRunMetrics } from "../../src/rotation/build-run-metrics.js";
import { fitOnsMessage, ONS_MAX_MESSAGE_BYTES, redactSecretText, singleLine, truncateUtf8 } from "../../src/rotation/fit-ons-message.js";
import type { PlanItem } from "../../src/rotation/rotation-plan.js";
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

/** A plan item of the bucket key (the fixtures' default key); override any field. */
function planItem(overrides: Partial<PlanItem> = {}): PlanItem {
  return {
    keyId: BUCKET_KEY_ID, keyName: "backup-objects-key", vaultId: "ocid1.vault.oc1.iad.v", vaultName: "backup-vault", compartmentId: COMPARTMENT_ID,
    strategy: "key-version", status: "overdue", action: "skip", reason: 'Key "backup-objects-key" is DISABLED: not rotated.',
    currentKeyVersionId: "ocid1.keyversion.oc1.iad.v3", currentVersionCreated: "2026-06-01T00:00:00.000Z", currentVersionAgeDays: 126,
    dueAt: "2026-08-30T00:00:00.000Z", ageFrom: "2026-06-01T00:00:00.000Z", slot: `${BUCKET_KEY_ID}@ocid1.keyversion.oc1.iad.v3`,
    lineageKeyIds: [BUCKET_KEY_ID], resources: [], ...overrides,
  };
}

describe("runNeedsAlert beyond failures: findings and overdue keys not rotated", () => {
  const skipped = keyOutcome({ status: "skipped", action: "skip", createdThisRun: false, slot: null, newKeyVersionId: null, resources: [] });
  const verified = keyOutcome({ status: "verified", action: "verify", strategy: "native-auto-rotation", createdThisRun: false, slot: null, newKeyVersionId: null, resources: [] });

  it("B03: alerts when a key was skipped because it could not be read (throttled): a high finding, no failure recorded", () => {
    const unreadable = finding({
      code: "KEY_NOT_READABLE", severity: "high", keyId: BUCKET_KEY_ID, resourceId: null,
      message: `Key ${BUCKET_KEY_ID} could not be read (ListKeyVersions: throttled (HTTP 429 TooManyRequests)): not rotated, not re-keyed.`,
    });
    const result = runResult({ status: "skipped", keys: [skipped], findings: [unreadable] });
    expect(collectRunFailures(result)).toEqual([]);
    expect(runNeedsAlert(result)).toBe(true);
    const message = buildRunMessage(result);
    expect(message.title).toBe("keyproof rotation run 42: skipped, 0 failures, 1 critical/high finding");
    expect(message.body).toContain(`Open findings: 1 (1 high).\n- [high] KEY_NOT_READABLE: Key ${BUCKET_KEY_ID} could not be read (ListKeyVersions: throttled`);
  });

  it("does not alert on medium and low findings alone", () => {
    expect(runNeedsAlert(runResult({ findings: [finding({ severity: "medium", code: "ORACLE_MANAGED_KEY" }), finding({ severity: "low", code: "REPLICA_KEY" })] }))).toBe(false);
  });

  it("alerts on an overdue key only verified (native auto-rotation past the policy) or skipped, naming it", () => {
    const auto = planItem({ strategy: "native-auto-rotation", action: "verify", currentVersionAgeDays: 300, dueAt: "2026-01-09T00:00:00.000Z", reason: "Native auto-rotation every 365 days; current version 300 days old, past the 90-day policy interval: non-compliant (rule 2): verify, never rotate." });
    const result = { ...runResult({ keys: [verified] }), plan: { asOf: "2026-10-05T02:00:00.000Z", items: [auto] } };
    expect(overdueNotRotated(result).map((o) => o.item.keyId)).toEqual([BUCKET_KEY_ID]);
    expect(runNeedsAlert(result)).toBe(true);
    const message = buildRunMessage(result);
    expect(message.title).toBe("keyproof rotation run 42: succeeded, 0 failures, 1 overdue not rotated");
    expect(message.body).toContain(
      `Overdue, not rotated (1):\n- backup-objects-key (${BUCKET_KEY_ID}): 300 days old, due 2026-01-09T00:00:00.000Z; native auto-rotation, only verified: Native auto-rotation every 365 days;`,
    );
    expect(runNeedsAlert({ ...runResult({ keys: [skipped] }), plan: { asOf: "2026-10-05T02:00:00.000Z", items: [planItem()] } })).toBe(true);
  });

  it("does not alert on a key within its interval, nor on an overdue key another run is rotating (lease held: action rotate)", () => {
    const plan = (item: PlanItem) => ({ asOf: "2026-10-05T02:00:00.000Z", items: [item] });
    expect(runNeedsAlert({ ...runResult({ keys: [verified] }), plan: plan(planItem({ status: "auto-rotation", action: "verify" })) })).toBe(false);
    const busy = keyOutcome({ status: "skipped", action: "rotate", reason: "another run holds the lease on this key and is rotating it", resources: [], createdThisRun: false });
    expect(runNeedsAlert({ ...runResult({ keys: [busy] }), plan: plan(planItem({ action: "rotate" })) })).toBe(false);
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
    expect(message.title).toBe("keyproof rotation run 42: partial, 1 failure, 1 critical/high finding");
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
    expect(message.body).toContain("Open findings: 2 (1 critical).\n- [critical] RESOURCE_ON_KEY_PENDING_DELETION: Volume vol9 uses key old-key");
    expect(message.body).not.toContain("Key ext is EXTERNAL."); // only critical and high findings are spelled out
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

describe("redaction and one-line names", () => {
  it("redacts raw JWTs and pass_phrase / passphrase / password values", () => {
    const jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImFzdyJ9.eyJzdWIiOiJvY2lkMS5pbnN0YW5jZSJ9.c2lnbmF0dXJlLXZhbHVl";
    const text = `token ${jwt} rejected; pass_phrase=hunter2 and pass_phrase = "two words", {"passphrase": "s3cret"}, password:abc; unsigned eyJhbGciOiJub25lIn0.eyJ4IjoxfQ. end`;
    expect(redactSecretText(text)).toBe(
      'token [token redacted] rejected; pass_phrase=[redacted] and pass_phrase = [redacted], {"passphrase": [redacted]}, password:[redacted]; unsigned [token redacted] end',
    );
    const body = buildRunMessage(runResult({ status: "failed", keys: [keyOutcome({ status: "failed", resources: [], error: runError({ message: `401 with ${jwt} and pass_phrase=hunter2` }) })] })).body;
    expect(body).not.toMatch(/eyJhbGci|hunter2/);
  });

  it("keeps a name with CR/LF or other control characters on its own line, so it cannot forge a line", () => {
    expect(singleLine("a\r\nb\u0085c\u2028d\te\u001b[2J")).toBe("a\uFFFD\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFD[2J");
    expect(fitOnsMessage("run 1\nforged title", "body").title).toBe("run 1\uFFFDforged title");
    const forged = "backup-objects-key\r\n2. CreateKey failed\n   opc-request-id: FAKE";
    const body = buildRunMessage(runResult({
      status: "partial",
      keys: [keyOutcome({ keyName: forged, status: "partial", resources: [rekey({ displayName: "vol\nerror: none", status: "failed", error: runError({ message: "bad\r\nopc-request-id: FAKE2" }) })] })],
      findings: [finding({ severity: "high", message: "Key \"x\nFailures (0):\" is EXTERNAL." })],
    })).body;
    const lines = body.split("\n");
    expect(lines.filter((l) => /^\d+\. /.test(l))).toEqual(["1. ReencryptBucket failed"]);
    expect(lines.some((l) => /^\s*opc-request-id: FAKE/.test(l) || l.startsWith("Failures (0)") || l.startsWith("error: none"))).toBe(false);
    expect(body).not.toMatch(/\r/);
    expect(body).toContain("   key: backup-objects-key\uFFFD\uFFFD2. CreateKey failed\uFFFD   opc-request-id: FAKE (");
  });
});

describe("formatOciError: one formatter for RunError and OciCallError", () => {
  it("gives the same line for both shapes, attempts only when more than one", () => {
    const call = new OciCallError("PublishMessage", "throttled", "Too many requests", 429, "TooManyRequests", "REQ", 6);
    expect(formatOciError(call)).toBe("429 TooManyRequests: PublishMessage: Too many requests (throttled, 6 attempts)");
    expect(formatOciError(runError({ message: call.message }))).toBe(formatOciError(call));
    expect(formatOciError(runError({ message: "x", attempts: 1, statusCode: null, serviceCode: null, reason: "network" }))).toBe("x (network)");
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
