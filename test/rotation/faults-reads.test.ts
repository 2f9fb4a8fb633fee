/**
 * Issue 4 acceptance, fault matrix at the rotate() level, part 4: faults on the reads that prove a
 * write took effect (GetKey after CreateKeyVersion, GetWorkRequest, GetVolumeKmsKey). A proof that
 * cannot be read is never success: the key or resource stays open with the reason, and the rerun
 * completes it from what was already done, without a second version, successor or re-key.
 */
import { afterEach, describe, expect, it } from "vitest";
import { rotate } from "../../src/rotation/rotate.js";
import { findRotationRekeys, findRotationSlot, findRotationSteps } from "../../src/store/rotation-records.js";
import { SEED, versionsOf } from "./execute-harness.js";
import {
  ATTEMPTS, attemptTimeoutFor, BUCKETS, ERROR_FAULTS, ONE_ROTATION, rotationCounts, startFaultEngine, workRequestsInBucketOrder, type FaultHarness,
} from "./faults-harness.js";

describe("rotate() with a fault on the read that proves a write", () => {
  let h: FaultHarness;
  afterEach(async () => h?.close());

  it.each(ERROR_FAULTS)("GetKey after CreateKeyVersion, $kind on every attempt: the key fails ($reason), nothing is re-encrypted; the rerun keeps that version and re-encrypts once", async (fault) => {
    h = await startFaultEngine({ attemptTimeoutMs: attemptTimeoutFor(fault.kind) });
    const before = versionsOf(h.sim, SEED.bucketKeyId).length;
    // The inventory reads the key first; the fault starts once the new version exists.
    h.deps.afterStep = (event) => {
      if (event.operation === "CreateKeyVersion") h.sim.faults.set("GetKey", { kind: fault.kind });
    };
    const run = await rotate(h.deps, { keyId: SEED.bucketKeyId, trigger: "test" });
    h.deps.afterStep = undefined;

    expect(run.status).toBe("failed");
    const created = versionsOf(h.sim, SEED.bucketKeyId).at(-1)!;
    expect(versionsOf(h.sim, SEED.bucketKeyId)).toHaveLength(before + 1);
    const [key] = run.keys;
    expect(key).toMatchObject({
      status: "failed", createdThisRun: true, newKeyVersionId: created.id,
      error: { operation: "GetKey", reason: fault.reason, statusCode: fault.statusCode, attempts: ATTEMPTS },
    });
    expect(key!.resources.map((r) => r.status)).toEqual(["skipped", "skipped"]);
    expect(h.callsOf("ReencryptBucket")).toEqual([]);
    const steps = await findRotationSteps(h.deps.store.db, { runId: run.runId });
    expect(steps.map((s) => [s.operation, s.status, s.attempts])).toEqual([["CreateKeyVersion", "succeeded", 1], ["GetKey", "failed", ATTEMPTS]]);
    expect(steps[1]!.opcRequestId).toBe(fault.answered ? h.callsOf("GetKey").at(-1)!.requestId : null);
    expect(await findRotationSlot(h.deps.store.db, SEED.bucketKeyId, key!.slot!)).toMatchObject({ status: "failed", newKeyVersionId: created.id });

    h.sim.faults.clear();
    const rerun = await rotate(h.deps, { trigger: "test" });
    expect(rerun.status).toBe("succeeded");
    const bucketKey = rerun.keys.find((k) => k.strategy === "key-version")!;
    expect(bucketKey).toMatchObject({ status: "rekeyed", slot: key!.slot, newKeyVersionId: created.id, createdThisRun: false });
    expect(rotationCounts(h, before)).toEqual(ONE_ROTATION);
  });

  // A hung status read is covered by the other reads; here each round would wait out the timeout twice per work request.
  it.each(ERROR_FAULTS.filter((f) => f.kind !== "hang"))("GetWorkRequest $kind on every attempt: both buckets stay 'in progress' with the failed read named, never failed or done (partial); the rerun reads them COMPLETED", async (fault) => {
    h = await startFaultEngine({ rotation: { workRequestPollMs: 60_000, workRequestMaxWaitMs: 1 } });
    const before = versionsOf(h.sim, SEED.bucketKeyId).length;
    h.sim.faults.set("GetWorkRequest", { kind: fault.kind });
    const run = await rotate(h.deps, { trigger: "test" });

    expect(run.status).toBe("partial");
    const key = run.keys.find((k) => k.strategy === "key-version")!;
    expect(key.status).toBe("partial");
    const wrs = workRequestsInBucketOrder(h);
    expect(key.resources.map((r) => [r.displayName, r.status, r.workRequestId])).toEqual(wrs.map((w) => [w.bucketName, "in-progress", w.id]));
    for (const r of key.resources) {
      expect(r.detail).toMatch(new RegExp(`^in progress, \\?%, work request ${r.workRequestId}, started at not yet started \\(last status read failed: GetWorkRequest: `));
    }
    const polls = (await findRotationSteps(h.deps.store.db, { runId: run.runId })).filter((s) => s.operation === "GetWorkRequest");
    expect(polls.map((s) => [s.workRequestId, s.status]).sort()).toEqual(wrs.map((w) => [w.id, "in-progress"]).sort());
    expect(polls.every((s) => s.error !== null && s.error.startsWith("GetWorkRequest: "))).toBe(true);
    expect((await findRotationRekeys(h.deps.store.db, SEED.bucketKeyId, key.slot!)).map((r) => r.status)).toEqual(["in-progress", "in-progress"]);

    h.sim.faults.clear();
    h.sim.clock.advance(10 * 60_000);
    const from = h.sim.calls.length;
    const rerun = await rotate(h.deps, { trigger: "test" });
    expect(rerun.status).toBe("succeeded");
    expect(rerun.keys.find((k) => k.strategy === "key-version")!.status).toBe("rekeyed");
    expect(h.callsSince(from).filter((c) => c.startsWith("ReencryptBucket") || c.startsWith("GetWorkRequest")).sort()).toEqual(BUCKETS.map((b) => `GetWorkRequest ${b}`));
    expect(rotationCounts(h, before)).toEqual(ONE_ROTATION);
  });

  it.each(ERROR_FAULTS)("GetVolumeKmsKey $kind on every attempt: the moved volume fails unproven ($reason), the boot volume moves (partial); the rerun reads it back and does not move it again", async (fault) => {
    h = await startFaultEngine({ attemptTimeoutMs: attemptTimeoutFor(fault.kind) });
    const before = versionsOf(h.sim, SEED.bucketKeyId).length;
    h.sim.faults.set("GetVolumeKmsKey", { kind: fault.kind });
    const run = await rotate(h.deps, { trigger: "test" });

    expect(run.status).toBe("partial");
    const key = run.keys.find((k) => k.strategy === "successor-key")!;
    expect(key.status).toBe("partial");
    const volume = key.resources.find((r) => r.kind === "volume")!;
    expect(volume).toMatchObject({ status: "failed", operation: "GetVolumeKmsKey", error: { reason: fault.reason, attempts: ATTEMPTS } });
    expect(key.resources.find((r) => r.kind === "bootvolume")!.status).toBe("succeeded");
    // The update itself went through once; only its proof is missing.
    expect(h.applied("UpdateVolumeKmsKey")).toBe(1);
    expect((await findRotationRekeys(h.deps.store.db, SEED.volumeKeyId, key.slot!)).map((r) => [r.resourceKind, r.status])).toEqual([["bootvolume", "succeeded"], ["volume", "failed"]]);

    h.sim.faults.clear();
    const from = h.sim.calls.length;
    const rerun = await rotate(h.deps, { trigger: "test" });
    expect(rerun.status).toBe("succeeded");
    expect(rerun.keys.find((k) => k.strategy === "successor-key")!.resources.find((r) => r.kind === "volume")).toMatchObject({
      status: "succeeded", detail: "already on the successor (read back)",
    });
    expect(h.callsSince(from).filter((c) => /VolumeKmsKey$/.test(c))).toEqual(["GetVolumeKmsKey"]);
    expect(rotationCounts(h, before)).toEqual(ONE_ROTATION);
  });
});
