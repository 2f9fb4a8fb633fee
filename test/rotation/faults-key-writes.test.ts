/**
 * Issue 4 acceptance, fault matrix at the rotate() level, part 1: faults on the write that makes
 * the new key material (CreateKeyVersion for the bucket key, CreateKey for the volume lineage's
 * successor), including B03 (429 forever) and "accepted, not applied". Each case: the run's
 * status, the failed key's error (the reason names the fault), the stored step with its attempts
 * and opc-request-id; then the fault is cleared and a rerun ends succeeded with exactly one new
 * version and one successor, every resource re-keyed once (counted from what the simulator served).
 */
import { afterEach, describe, expect, it } from "vitest";
import { rotate } from "../../src/rotation/rotate.js";
import { rotationRetryToken } from "../../src/rotation/retry-token.js";
import { findRotationRunById, findRotationSlot, findRotationSteps } from "../../src/store/rotation-records.js";
import { SEED, versionsOf } from "./execute-harness.js";
import { ATTEMPTS, attemptTimeoutFor, ERROR_FAULTS, ONE_ROTATION, rotationCounts, startFaultEngine, type FaultHarness } from "./faults-harness.js";

/** Operations that change something in OCI. */
const WRITES = /^(Create|Update|Reencrypt|Delete|Schedule|Cancel|Enable|Disable)/;

const KEY_WRITES = [
  { operation: "CreateKeyVersion", keyId: SEED.bucketKeyId, otherKeyId: SEED.volumeKeyId, resources: ["app-backups", "db-backups"] },
  { operation: "CreateKey", keyId: SEED.volumeKeyId, otherKeyId: SEED.bucketKeyId, resources: ["pg-primary (Boot Volume)", "pg-data-vol"] },
] as const;

describe("rotate() with a fault on the write that makes the new key material", () => {
  let h: FaultHarness;
  afterEach(async () => h?.close());

  /** Runs rotate() again with the fault cleared, then once more: one rotation in all, and then nothing to do. */
  async function clearAndRerun(failedKeyId: string, bucketVersionsBefore: number) {
    h.sim.faults.clear();
    const rerun = await rotate(h.deps, { trigger: "test" });
    expect(rerun.status).toBe("succeeded");
    // (The lineage's item is keyed by its head: the successor, once it exists.)
    const failedStrategy = failedKeyId === SEED.bucketKeyId ? "key-version" : "successor-key";
    expect(rerun.keys.map((k) => [k.strategy, k.status]).sort()).toEqual(
      [["key-version", failedStrategy === "key-version" ? "rotated" : "not-due"], ["successor-key", failedStrategy === "successor-key" ? "rotated" : "not-due"]],
    );
    expect(rotationCounts(h, bucketVersionsBefore)).toEqual(ONE_ROTATION);
    const from = h.sim.calls.length;
    const quiet = await rotate(h.deps, { trigger: "test" });
    expect(quiet.status).toBe("skipped");
    expect(h.sim.calls.slice(from).filter((c) => WRITES.test(c.operation))).toEqual([]);
    return rerun;
  }

  describe.each(KEY_WRITES)("$operation", ({ operation, keyId, otherKeyId, resources }) => {
    it.each(ERROR_FAULTS)("$kind on every attempt: the key fails with reason $reason, the other key rotates (partial); the rerun rotates it once", async (fault) => {
      h = await startFaultEngine({ attemptTimeoutMs: attemptTimeoutFor(fault.kind) });
      const before = versionsOf(h.sim, SEED.bucketKeyId).length;
      h.sim.faults.set(operation, { kind: fault.kind });
      const run = await rotate(h.deps, { trigger: "test" });

      expect(run.status).toBe("partial");
      const failed = run.keys.find((k) => k.keyId === keyId)!;
      expect(failed).toMatchObject({
        status: "failed", createdThisRun: false, newKeyVersionId: null, successorKeyId: null,
        error: { operation, reason: fault.reason, statusCode: fault.statusCode, attempts: ATTEMPTS },
      });
      expect(failed.reason).toBe(`not rotated – ${fault.reason}: ${failed.error!.message}`);
      // Nothing is re-keyed to material that does not exist.
      expect(failed.resources.map((r) => [r.displayName, r.status])).toEqual(resources.map((n) => [n, "skipped"]));
      expect(run.keys.find((k) => k.keyId === otherKeyId)!.status).toBe("rotated");
      // The retry layer tried exactly ATTEMPTS times; the simulator answered (or not) each with the fault.
      expect(h.callsOf(operation).map((c) => [c.status, c.fault])).toEqual(Array.from({ length: ATTEMPTS }, () => [fault.answered ? fault.statusCode : 0, fault.kind]));
      expect(h.applied(operation)).toBe(0);
      if (operation === "CreateKeyVersion") expect(h.callsOf("ReencryptBucket")).toEqual([]);
      else expect(h.sim.calls.filter((c) => /^Update(Boot)?VolumeKmsKey$/.test(c.operation))).toEqual([]);

      // The stored step: failed, with the attempts and the opc-request-id of the last answer (none for reset and hang).
      const steps = await findRotationSteps(h.deps.store.db, { runId: run.runId, keyId });
      const step = steps.find((s) => s.operation === operation)!;
      expect(step).toMatchObject({
        status: "failed", attempts: ATTEMPTS, opcRequestId: fault.answered ? h.callsOf(operation).at(-1)!.requestId : null,
        detail: { reason: fault.reason, statusCode: fault.statusCode }, error: failed.error!.message,
      });
      expect(step.finishedAt).not.toBeNull();
      const slot = await findRotationSlot(h.deps.store.db, keyId, failed.slot!);
      expect(slot).toMatchObject({ status: "failed", newKeyVersionId: null, successorKeyId: null });
      const record = await findRotationRunById(h.deps.store.db, run.runId);
      expect(record).toMatchObject({ status: "partial", error: null, summary: { keys: { failed: 1, rotated: 1 } } });
      expect(record!.summary.outcomes).toContainEqual(expect.objectContaining({ keyId, status: "failed", reason: failed.reason, createdThisRun: false }));

      const rerun = await clearAndRerun(keyId, before);
      // The rerun resumed the same slot: its retry token is still the one derived from key and slot.
      expect(rerun.keys.find((k) => k.keyId === keyId)!.slot).toBe(failed.slot);
      expect(await findRotationSlot(h.deps.store.db, keyId, failed.slot!)).toMatchObject({
        status: "completed", retryToken: rotationRetryToken(keyId, failed.slot!),
      });
    });
  });

  it("B03: 429 on every attempt of both writes: the run fails, each key 'not rotated – throttled' after Retry-After waits, never success; the rerun rotates each once", async () => {
    h = await startFaultEngine();
    const before = versionsOf(h.sim, SEED.bucketKeyId).length;
    h.sim.faults.set("CreateKeyVersion", { kind: "throttle", retryAfterSeconds: 2 });
    h.sim.faults.set("CreateKey", { kind: "throttle", retryAfterSeconds: 2 });
    const run = await rotate(h.deps, { trigger: "test" });

    expect(run.status).toBe("failed");
    expect(run.keys.map((k) => k.status)).toEqual(["failed", "failed"]);
    for (const key of run.keys) {
      expect(key.error).toMatchObject({ reason: "throttled", statusCode: 429, serviceCode: "TooManyRequests", attempts: ATTEMPTS });
      expect(key.reason).toContain("not rotated – throttled");
      expect(key.createdThisRun).toBe(false);
    }
    // Retry-After (2 s) was honoured between the attempts of each call.
    expect(h.retrySleeps.filter((ms) => ms >= 2_000)).toHaveLength(2 * (ATTEMPTS - 1));
    expect(h.sim.calls.filter((c) => WRITES.test(c.operation) && c.status !== 429)).toEqual([]);
    expect(versionsOf(h.sim, SEED.bucketKeyId)).toHaveLength(before);
    const record = await findRotationRunById(h.deps.store.db, run.runId);
    expect(record).toMatchObject({ status: "failed", summary: { keys: { failed: 2 } } });
    expect((record!.summary.outcomes as { reason: string }[]).map((o) => o.reason)).toEqual(run.keys.map((k) => k.reason));

    h.sim.faults.clear();
    const rerun = await rotate(h.deps, { trigger: "test" });
    expect(rerun.status).toBe("succeeded");
    expect(rerun.keys.map((k) => k.status)).toEqual(["rotated", "rotated"]);
    expect(rotationCounts(h, before)).toEqual(ONE_ROTATION);
  });

  it("CreateKeyVersion answered 200 but not applied: GetKey shows the old version, nothing is re-encrypted, the slot moves to a new token; the rerun makes one version", async () => {
    h = await startFaultEngine();
    const before = versionsOf(h.sim, SEED.bucketKeyId).length;
    h.sim.faults.set("CreateKeyVersion", { kind: "not-applied" });
    const run = await rotate(h.deps, { trigger: "test" });

    expect(run.status).toBe("partial");
    const failed = run.keys.find((k) => k.keyId === SEED.bucketKeyId)!;
    expect(failed).toMatchObject({ status: "failed", createdThisRun: false, error: { operation: "GetKey" } });
    expect(failed.error!.message).toContain(`GetKey shows ${SEED.bucketKeyVersionId} as the current version, not `);
    expect(h.callsOf("CreateKeyVersion").map((c) => [c.status, c.fault])).toEqual([[200, "not-applied"]]);
    expect(h.callsOf("ReencryptBucket")).toEqual([]);
    expect(versionsOf(h.sim, SEED.bucketKeyId)).toHaveLength(before);
    const steps = await findRotationSteps(h.deps.store.db, { runId: run.runId, keyId: SEED.bucketKeyId });
    expect(steps.map((s) => [s.operation, s.status, s.attempts])).toEqual([["CreateKeyVersion", "succeeded", 1], ["GetKey", "failed", 1]]);
    expect(steps[0]!.opcRequestId).toBe(h.callsOf("CreateKeyVersion")[0]!.requestId);
    const slot = await findRotationSlot(h.deps.store.db, SEED.bucketKeyId, failed.slot!);
    expect(slot).toMatchObject({ status: "failed", newKeyVersionId: null });
    expect(slot!.retryToken).not.toBe(rotationRetryToken(SEED.bucketKeyId, failed.slot!));

    await clearAndRerun(SEED.bucketKeyId, before);
  });

  it("CreateKey answered 200 but not applied: no volume moves to the successor that does not exist; the rerun makes one successor and moves both volumes", async () => {
    h = await startFaultEngine();
    const before = versionsOf(h.sim, SEED.bucketKeyId).length;
    h.sim.faults.set("CreateKey", { kind: "not-applied" });
    const run = await rotate(h.deps, { trigger: "test" });

    expect(run.status).toBe("partial");
    const failed = run.keys.find((k) => k.keyId === SEED.volumeKeyId)!;
    expect(failed).toMatchObject({ status: "failed" });
    expect(failed.error).not.toBeNull();
    expect(failed.resources.map((r) => r.status)).toEqual(["skipped", "skipped"]);
    expect(h.callsOf("CreateKey").map((c) => [c.status, c.fault])).toEqual([[200, "not-applied"]]);
    expect(h.sim.calls.filter((c) => /^Update(Boot)?VolumeKmsKey$/.test(c.operation))).toEqual([]);
    expect(h.sim.state.volumes.get(SEED.volumeId)!.kmsKeyId).toBe(SEED.volumeKeyId);

    await clearAndRerun(SEED.volumeKeyId, before);
  });
});

describe("rotate() with a fault that clears before the retry layer gives up", () => {
  let h: FaultHarness;
  afterEach(async () => h?.close());

  const ONCE = [
    { kind: "throttle", operation: "CreateKeyVersion" },
    { kind: "internal-error", operation: "CreateKey" },
    { kind: "reset", operation: "CreateKeyVersion" },
    { kind: "throttle", operation: "ReencryptBucket" },
    { kind: "throttle", operation: "UpdateVolumeKmsKey" },
  ] as const;

  it.each(ONCE)("$kind once on $operation: the run succeeds, the step records 2 attempts and the answered request id", async ({ kind, operation }) => {
    h = await startFaultEngine({ attemptTimeoutMs: attemptTimeoutFor(kind) });
    const before = versionsOf(h.sim, SEED.bucketKeyId).length;
    h.sim.faults.set(operation, { kind, times: 1 });
    const run = await rotate(h.deps, { trigger: "test" });

    expect(run.status).toBe("succeeded");
    expect(run.keys.map((k) => k.status)).toEqual(["rotated", "rotated"]);
    // The faulted call and its retry (same target; ReencryptBucket may run its buckets concurrently).
    const [faulted, ...rest] = h.callsOf(operation);
    expect(faulted).toMatchObject({ fault: kind });
    const retried = rest.find((c) => c.path === faulted!.path)!;
    expect(retried).toMatchObject({ status: expect.any(Number), fault: null });
    const steps = (await findRotationSteps(h.deps.store.db, { runId: run.runId })).filter((s) => s.operation === operation);
    expect(steps.filter((s) => s.attempts === 2)).toEqual([expect.objectContaining({ status: "succeeded", opcRequestId: retried.requestId, error: null })]);
    expect(steps.every((s) => s.status === "succeeded")).toBe(true);
    expect(rotationCounts(h, before)).toEqual(ONE_ROTATION);
  });

  // Writes without a retry token (with-retry.ts NOT_SAFE_TO_REPEAT): a reset, hang or 500 leaves
  // their outcome unknown, so the retry layer does not repeat them; the engine first finds out
  // (ListWorkRequests / the read-back) and only then sends again. Here the fault struck before
  // the simulator applied anything, so the second send is the one that counts.
  const ONCE_UNKNOWN = [
    { kind: "reset", operation: "ReencryptBucket", lookup: "ListWorkRequests" },
    { kind: "internal-error", operation: "ReencryptBucket", lookup: "ListWorkRequests" },
    { kind: "hang", operation: "UpdateVolumeKmsKey", lookup: "GetVolumeKmsKey" },
    { kind: "reset", operation: "UpdateVolumeKmsKey", lookup: "GetVolumeKmsKey" },
  ] as const;

  it.each(ONCE_UNKNOWN)("$kind once on $operation (nothing applied): not re-sent blindly; $lookup finds nothing done, then one more send; the run succeeds", async ({ kind, operation, lookup }) => {
    h = await startFaultEngine({ attemptTimeoutMs: attemptTimeoutFor(kind) });
    const before = versionsOf(h.sim, SEED.bucketKeyId).length;
    h.sim.faults.set(operation, { kind, times: 1 });
    const run = await rotate(h.deps, { trigger: "test" });

    expect(run.status).toBe("succeeded");
    expect(run.keys.map((k) => k.status)).toEqual(["rotated", "rotated"]);
    const [faulted, ...rest] = h.callsOf(operation);
    expect(faulted).toMatchObject({ fault: kind });
    const target = faulted!.path;
    const resent = rest.filter((c) => c.path === target);
    expect(resent).toEqual([expect.objectContaining({ fault: null, status: expect.any(Number) })]);
    // ORDER: the look-up sits between the faulted send and the second one.
    const between = h.sim.calls.slice(h.sim.calls.indexOf(faulted!) + 1, h.sim.calls.indexOf(resent[0]!)).map((c) => c.operation);
    expect(between).toContain(lookup);
    const all = (await findRotationSteps(h.deps.store.db, { runId: run.runId })).filter((s) => s.operation === operation);
    const steps = all.filter((s) => s.resourceId === all.find((x) => x.status === "failed")!.resourceId);
    expect(steps.map((s) => [s.status, s.attempts, s.detail.outcomeUnknown ?? false, s.opcRequestId])).toEqual([
      ["failed", 1, true, kind === "internal-error" ? faulted!.requestId : null],
      ["succeeded", 1, false, resent[0]!.requestId],
    ]);
    expect(rotationCounts(h, before)).toEqual(ONE_ROTATION);
  });
});
