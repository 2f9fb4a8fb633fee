/**
 * Issue 4 acceptance, fault matrix at the rotate() level, part 2: faults on re-keying the
 * resources once the new key material exists (ReencryptBucket and its work requests,
 * UpdateVolumeKmsKey and its read-back), plus B15 and B17 end to end. Each case: the run's
 * status, the resource's error (the reason names the fault), the stored steps and re-key records;
 * then the fault clears and a rerun ends succeeded without a second version or successor, every
 * resource re-keyed exactly once (counted from what the simulator served).
 */
import { afterEach, describe, expect, it } from "vitest";
import { rotate } from "../../src/rotation/rotate.js";
import type { KeyRotationOutcome } from "../../src/rotation/rotation-run-result.js";
import { objectStorageState } from "../../src/sim/objectstorage/object-storage-state.js";
import { findRotationRekeys, findRotationRunById, findRotationSlot, findRotationSteps } from "../../src/store/rotation-records.js";
import { SEED, versionsOf } from "./execute-harness.js";
import {
  ATTEMPTS, attemptTimeoutFor, BUCKETS, ERROR_FAULTS, LOST_ANSWER_FAULTS, ONE_ROTATION, rotationCounts, startFaultEngine, workRequestsInBucketOrder, type FaultHarness,
} from "./faults-harness.js";

const WRITES = /^(Create|Update|Reencrypt|Delete|Schedule|Cancel|Enable|Disable)/;
const bucketOf = (path: string) => decodeURIComponent(/\/b\/([^/?]+)/.exec(path)![1]!);

describe("rotate() with a fault on re-keying a resource", () => {
  let h: FaultHarness;
  afterEach(async () => h?.close());

  const bucketKey = (keys: KeyRotationOutcome[]) => keys.find((k) => k.strategy === "key-version")!;
  const volumeKey = (keys: KeyRotationOutcome[]) => keys.find((k) => k.strategy === "successor-key")!;

  /** Clears every fault, reruns (the key whose resources failed is "rekeyed"), checks one rotation in all, then a quiet run. */
  async function clearAndRerun(strategy: "key-version" | "successor-key", bucketVersionsBefore: number, prepare?: () => void) {
    h.sim.faults.clear();
    prepare?.();
    const rerun = await rotate(h.deps, { trigger: "test" });
    expect(rerun.status).toBe("succeeded");
    expect(rerun.keys.map((k) => [k.strategy, k.status]).sort()).toEqual(
      [["key-version", strategy === "key-version" ? "rekeyed" : "not-due"], ["successor-key", strategy === "successor-key" ? "rekeyed" : "not-due"]],
    );
    const resumed = rerun.keys.find((k) => k.strategy === strategy)!;
    expect(resumed.createdThisRun).toBe(false);
    expect(resumed.resources.every((r) => r.status === "succeeded" || r.status === "skipped")).toBe(true);
    expect(rotationCounts(h, bucketVersionsBefore)).toEqual(ONE_ROTATION);
    const from = h.sim.calls.length;
    expect((await rotate(h.deps, { trigger: "test" })).status).toBe("skipped");
    expect(h.sim.calls.slice(from).filter((c) => WRITES.test(c.operation))).toEqual([]);
    return rerun;
  }

  describe("ReencryptBucket", () => {
    it.each(ERROR_FAULTS)("$kind on every call: both buckets fail with reason $reason on the new version (partial), each sent twice; the rerun re-encrypts each once", async (fault) => {
      h = await startFaultEngine({ attemptTimeoutMs: attemptTimeoutFor(fault.kind) });
      const before = versionsOf(h.sim, SEED.bucketKeyId).length;
      h.sim.faults.set("ReencryptBucket", { kind: fault.kind });
      const run = await rotate(h.deps, { trigger: "test" });

      expect(run.status).toBe("partial");
      const key = bucketKey(run.keys);
      expect(versionsOf(h.sim, SEED.bucketKeyId)).toHaveLength(before + 1);
      const version = versionsOf(h.sim, SEED.bucketKeyId).at(-1)!;
      // A refusal (429) is retried by the retry layer (one step, ATTEMPTS attempts); an unknown
      // outcome is not: the engine looks with ListWorkRequests, finds nothing, sends again (one step per send).
      const attemptsPerStep = fault.outcomeUnknown ? 1 : ATTEMPTS;
      expect(key).toMatchObject({ status: "partial", createdThisRun: true, newKeyVersionId: version.id, error: { operation: "ReencryptBucket", reason: fault.reason } });
      expect(key.resources.map((r) => [r.displayName, r.status, r.error?.reason, r.error?.attempts])).toEqual(BUCKETS.map((b) => [b, "failed", fault.reason, attemptsPerStep]));
      expect(volumeKey(run.keys).status).toBe("rotated");
      // Each bucket was sent ATTEMPTS times, and nothing was started.
      for (const b of BUCKETS) {
        expect(h.callsOf("ReencryptBucket").filter((c) => bucketOf(c.path) === b).map((c) => c.fault), b).toEqual(Array.from({ length: ATTEMPTS }, () => fault.kind));
      }
      expect(h.callsOf("ReencryptBucket")).toHaveLength(BUCKETS.length * ATTEMPTS);
      expect(Object.keys(objectStorageState(h.sim.state).workRequests)).toEqual([]);
      const bucketCalls = h.sim.calls.filter((c) => c.operation === "ReencryptBucket" || c.operation === "ListWorkRequests").map((c) => c.operation === "ListWorkRequests" ? "ListWorkRequests" : `ReencryptBucket ${bucketOf(c.path)}`);
      expect(bucketCalls).toEqual(fault.outcomeUnknown
        ? BUCKETS.flatMap((b) => [`ReencryptBucket ${b}`, "ListWorkRequests", `ReencryptBucket ${b}`, "ListWorkRequests"])
        : BUCKETS.flatMap((b) => [`ReencryptBucket ${b}`, `ReencryptBucket ${b}`]));

      const steps = (await findRotationSteps(h.deps.store.db, { runId: run.runId })).filter((s) => s.operation === "ReencryptBucket");
      const bucketIds = new Map(run.inventory!.resources.filter((r) => r.kind === "bucket").map((r) => [r.id, r.bucketName!]));
      const callsOfBucket = (b: string) => h.callsOf("ReencryptBucket").filter((c) => bucketOf(c.path) === b);
      expect(steps.map((s) => [bucketIds.get(s.resourceId!), s.status, s.attempts, s.detail.reason, s.detail.outcomeUnknown ?? false, s.opcRequestId])).toEqual(
        BUCKETS.flatMap((b) => (fault.outcomeUnknown ? callsOfBucket(b) : callsOfBucket(b).slice(-1)).map((c) => [
          b, "failed", attemptsPerStep, fault.reason, fault.outcomeUnknown, fault.answered ? c.requestId : null,
        ])),
      );
      expect(await findRotationSlot(h.deps.store.db, SEED.bucketKeyId, key.slot!)).toMatchObject({ status: "rotated", newKeyVersionId: version.id });
      // Unknown outcome: "pending" (the next run looks before sending), never "failed".
      expect((await findRotationRekeys(h.deps.store.db, SEED.bucketKeyId, key.slot!)).map((r) => r.status)).toEqual(BUCKETS.map(() => (fault.outcomeUnknown ? "pending" : "failed")));
      expect(await findRotationRunById(h.deps.store.db, run.runId)).toMatchObject({ status: "partial", summary: { keys: { partial: 1, rotated: 1 }, resources: { failed: 2, succeeded: 2 } } });

      const from = h.sim.calls.length;
      const rerun = await clearAndRerun("key-version", before);
      expect(bucketKey(rerun.keys)).toMatchObject({ slot: key.slot, newKeyVersionId: version.id });
      // ORDER: a pending bucket is looked up before it is sent again.
      expect(h.callsSince(from).filter((c) => c.startsWith("ReencryptBucket") || c === "ListWorkRequests")).toEqual(
        BUCKETS.flatMap((b) => (fault.outcomeUnknown ? ["ListWorkRequests", `ReencryptBucket ${b}`] : [`ReencryptBucket ${b}`])),
      );
      // Both work requests re-wrapped with the version of the first run.
      expect(workRequestsInBucketOrder(h).map((w) => [w.bucketName, w.kmsKeyVersionId])).toEqual(BUCKETS.map((b) => [b, version.id]));
    });

    it("reset on every call, with retry.maxTotalMs shorter than the wait before the look-up: each bucket is sent once, looked up, and left pending", async () => {
      h = await startFaultEngine({ rotation: { retry: { maxAttempts: ATTEMPTS, baseDelayMs: 500, maxTotalMs: 400 } } });
      h.sim.faults.set("ReencryptBucket", { kind: "reset" });
      const run = await rotate(h.deps, { trigger: "test" });
      expect(run.status).toBe("partial");
      const names = h.sim.calls.filter((c) => c.operation === "ReencryptBucket" || c.operation === "ListWorkRequests").map((c) => c.operation === "ListWorkRequests" ? "ListWorkRequests" : `ReencryptBucket ${bucketOf(c.path)}`);
      expect(names).toEqual(BUCKETS.flatMap((b) => [`ReencryptBucket ${b}`, "ListWorkRequests"]));
      const key = bucketKey(run.keys);
      expect(key.resources.map((r) => [r.status, r.detail])).toEqual(BUCKETS.map(() => ["failed", expect.stringMatching(/^ReencryptBucket sent 1 time\(s\), last at .*, outcome unknown and no work request found yet/)]));
      expect((await findRotationRekeys(h.deps.store.db, SEED.bucketKeyId, key.slot!)).map((r) => r.status)).toEqual(["pending", "pending"]);
    });

    describe("the simulator applied it, then the answer was lost (after: \"applied\")", () => {
      /** ReencryptBucket calls per bucket that started a work request: the simulator's own record. */
      const startedPerBucket = () => Object.fromEntries(BUCKETS.map((b) => [b, workRequestsInBucketOrder(h).filter((w) => w.bucketName === b).length]));

      it.each(LOST_ANSWER_FAULTS)("$kind after applying: the run adopts the work request it started (ListWorkRequests) instead of sending again; one ReencryptBucket per bucket, and the rerun sends none", async (fault) => {
        h = await startFaultEngine({ attemptTimeoutMs: attemptTimeoutFor(fault.kind) });
        const before = versionsOf(h.sim, SEED.bucketKeyId).length;
        h.sim.faults.set("ReencryptBucket", { kind: fault.kind, after: "applied" });
        const run = await rotate(h.deps, { trigger: "test" });

        expect(run.status).toBe("succeeded");
        const key = bucketKey(run.keys);
        const wrs = workRequestsInBucketOrder(h);
        expect(key.resources.map((r) => [r.displayName, r.status, r.workRequestId])).toEqual(wrs.map((w) => [w.bucketName, "succeeded", w.id]));
        expect(h.callsOf("ReencryptBucket").map((c) => [bucketOf(c.path), c.fault])).toEqual(BUCKETS.map((b) => [b, fault.kind]));
        expect(startedPerBucket()).toEqual({ "app-backups": 1, "db-backups": 1 });
        const steps = await findRotationSteps(h.deps.store.db, { runId: run.runId });
        expect(steps.filter((s) => s.operation === "AdoptWorkRequest").map((s) => s.workRequestId)).toEqual(wrs.map((w) => w.id));
        expect(steps.filter((s) => s.operation === "ReencryptBucket").map((s) => [s.status, s.detail.outcomeUnknown])).toEqual(BUCKETS.map(() => ["failed", true]));

        expect(rotationCounts(h, before)).toEqual(ONE_ROTATION);
        // Nothing is left for the rerun: no write at all.
        h.sim.faults.clear();
        const from = h.sim.calls.length;
        expect((await rotate(h.deps, { trigger: "test" })).status).toBe("skipped");
        expect(h.sim.calls.slice(from).filter((c) => WRITES.test(c.operation))).toEqual([]);
        expect(startedPerBucket()).toEqual({ "app-backups": 1, "db-backups": 1 });
      });

      it("reset after applying and ListWorkRequests failing too: both buckets stay pending (partial); the rerun looks first and adopts them: one ReencryptBucket per bucket across both runs", async () => {
        h = await startFaultEngine();
        const before = versionsOf(h.sim, SEED.bucketKeyId).length;
        h.sim.faults.set("ReencryptBucket", { kind: "reset", after: "applied" });
        h.sim.faults.set("ListWorkRequests", { kind: "internal-error" });
        const run = await rotate(h.deps, { trigger: "test" });

        expect(run.status).toBe("partial");
        const key = bucketKey(run.keys);
        expect(key.resources.map((r) => [r.displayName, r.status, r.operation, r.error?.reason])).toEqual(BUCKETS.map((b) => [b, "failed", "ListWorkRequests", "server-error"]));
        expect((await findRotationRekeys(h.deps.store.db, SEED.bucketKeyId, key.slot!)).map((r) => [r.status, r.workRequestId])).toEqual([["pending", null], ["pending", null]]);
        expect(h.callsOf("ReencryptBucket")).toHaveLength(BUCKETS.length);
        expect(startedPerBucket()).toEqual({ "app-backups": 1, "db-backups": 1 });

        h.sim.faults.clear();
        const from = h.sim.calls.length;
        const rerun = await rotate(h.deps, { trigger: "test" });
        expect(rerun.status).toBe("succeeded");
        expect(h.callsSince(from).filter((c) => c.startsWith("ReencryptBucket"))).toEqual([]);
        const wrs = workRequestsInBucketOrder(h);
        expect(bucketKey(rerun.keys).resources.map((r) => [r.displayName, r.status, r.workRequestId])).toEqual(wrs.map((w) => [w.bucketName, "succeeded", w.id]));
        expect(h.callsOf("ReencryptBucket")).toHaveLength(BUCKETS.length);
        expect(startedPerBucket()).toEqual({ "app-backups": 1, "db-backups": 1 });
        expect(rotationCounts(h, before)).toEqual(ONE_ROTATION);
      });
    });

    it("work request stalled: both buckets 'in progress, 50%, work request …, started at …' (partial, B17); once it moves on, the rerun polls it to COMPLETED and re-encrypts nothing again", async () => {
      h = await startFaultEngine();
      const before = versionsOf(h.sim, SEED.bucketKeyId).length;
      h.sim.faults.set("ReencryptBucket", { workRequest: "stall" });
      const run = await rotate(h.deps, { trigger: "test" });

      expect(run.status).toBe("partial");
      const key = bucketKey(run.keys);
      expect(key).toMatchObject({ status: "partial", createdThisRun: true, error: null });
      const wrs = workRequestsInBucketOrder(h);
      expect(key.resources.map((r) => [r.displayName, r.status, r.workRequestId, r.detail])).toEqual(wrs.map((w) => [
        w.bucketName, "in-progress", w.id, `in progress, 50%, work request ${w.id}, started at ${new Date(Date.parse(w.timeAccepted) + 1_000).toISOString()}`,
      ]));
      const polls = (await findRotationSteps(h.deps.store.db, { runId: run.runId })).filter((s) => s.operation === "GetWorkRequest");
      // Read every 60 s until the 10-minute wait ended (attempts = readings), the last reading stored.
      expect(polls.map((s) => [s.workRequestId, s.status, s.detail.workRequestStatus, s.detail.percentComplete]).sort()).toEqual(
        wrs.map((w) => [w.id, "in-progress", "IN_PROGRESS", 50]).sort(),
      );
      for (const s of polls) expect(s.attempts).toBeGreaterThanOrEqual(2);
      expect((await findRotationRekeys(h.deps.store.db, SEED.bucketKeyId, key.slot!)).map((r) => [r.status, r.percentComplete])).toEqual([["in-progress", 50], ["in-progress", 50]]);

      // The stall ends (the work requests progress again): the rerun only polls them.
      const from = h.sim.calls.length;
      await clearAndRerun("key-version", before, () => {
        for (const w of Object.values(objectStorageState(h.sim.state).workRequests)) w.fault = null;
      });
      expect(h.sim.calls.slice(from).filter((c) => c.operation === "ReencryptBucket")).toEqual([]);
      expect(Object.keys(objectStorageState(h.sim.state).workRequests)).toHaveLength(2);
    });

    it("work request FAILED: both buckets fail with the work request's errors (partial); the rerun starts one new re-encryption each", async () => {
      h = await startFaultEngine();
      const before = versionsOf(h.sim, SEED.bucketKeyId).length;
      h.sim.faults.set("ReencryptBucket", { workRequest: "fail" });
      const run = await rotate(h.deps, { trigger: "test" });

      expect(run.status).toBe("partial");
      const key = bucketKey(run.keys);
      expect(key.status).toBe("partial");
      const wrs = workRequestsInBucketOrder(h);
      expect(key.resources.map((r) => [r.displayName, r.status, r.workRequestId])).toEqual(wrs.map((w) => [w.bucketName, "failed", w.id]));
      for (const r of key.resources) expect(r.error!.message).toMatch(new RegExp(`^work request ${r.workRequestId} ended FAILED at 50%: InternalServerError: Re-encryption of bucket ${r.displayName} failed at 50%`));
      expect(key.error).toEqual(key.resources[0]!.error);
      expect((await findRotationRekeys(h.deps.store.db, SEED.bucketKeyId, key.slot!)).map((r) => [r.status, r.percentComplete])).toEqual([["failed", 50], ["failed", 50]]);

      await clearAndRerun("key-version", before);
      expect(h.applied("ReencryptBucket")).toBe(4);
    });
  });

  describe("UpdateVolumeKmsKey", () => {
    it.each(ERROR_FAULTS)("$kind on every call: the volume fails with reason $reason, sent twice, the boot volume moves (partial); the rerun moves the volume once", async (fault) => {
      h = await startFaultEngine({ attemptTimeoutMs: attemptTimeoutFor(fault.kind) });
      const before = versionsOf(h.sim, SEED.bucketKeyId).length;
      h.sim.faults.set("UpdateVolumeKmsKey", { kind: fault.kind });
      const run = await rotate(h.deps, { trigger: "test" });

      expect(run.status).toBe("partial");
      const key = volumeKey(run.keys);
      const successor = key.successorKeyId!;
      // A refusal is retried by the retry layer; an unknown outcome is read back before each re-send.
      const attemptsPerStep = fault.outcomeUnknown ? 1 : ATTEMPTS;
      expect(key).toMatchObject({ status: "partial", createdThisRun: true, error: { operation: "UpdateVolumeKmsKey", reason: fault.reason, statusCode: fault.statusCode, attempts: attemptsPerStep } });
      expect(key.resources.map((r) => [r.kind, r.status, r.error?.reason ?? null])).toEqual([["bootvolume", "succeeded", null], ["volume", "failed", fault.reason]]);
      expect(bucketKey(run.keys).status).toBe("rotated");
      expect(h.callsOf("UpdateVolumeKmsKey").map((c) => c.fault)).toEqual(Array.from({ length: ATTEMPTS }, () => fault.kind));
      const volumeCalls = h.sim.calls.filter((c) => c.path.includes(SEED.volumeId) && /VolumeKmsKey$/.test(c.operation)).map((c) => c.operation);
      expect(volumeCalls).toEqual(fault.outcomeUnknown
        ? ["UpdateVolumeKmsKey", "GetVolumeKmsKey", "UpdateVolumeKmsKey", "GetVolumeKmsKey"]
        : ["UpdateVolumeKmsKey", "UpdateVolumeKmsKey"]);
      expect(h.sim.state.volumes.get(SEED.volumeId)!.kmsKeyId).toBe(SEED.volumeKeyId);
      expect(h.sim.state.bootVolumes.get(SEED.bootVolumeId)!.kmsKeyId).toBe(successor);

      const steps = (await findRotationSteps(h.deps.store.db, { runId: run.runId })).filter((s) => s.operation === "UpdateVolumeKmsKey");
      const calls = h.callsOf("UpdateVolumeKmsKey");
      expect(steps.map((s) => [s.status, s.resourceId, s.attempts, s.detail.reason, s.detail.outcomeUnknown ?? false, s.opcRequestId])).toEqual(
        (fault.outcomeUnknown ? calls : calls.slice(-1)).map((c) => ["failed", SEED.volumeId, attemptsPerStep, fault.reason, fault.outcomeUnknown, fault.answered ? c.requestId : null]),
      );
      // Unknown outcome: "pending" (the next run reads back before sending), never "failed".
      expect((await findRotationRekeys(h.deps.store.db, SEED.volumeKeyId, key.slot!)).map((r) => [r.resourceKind, r.status])).toEqual([
        ["bootvolume", "succeeded"], ["volume", fault.outcomeUnknown ? "pending" : "failed"],
      ]);

      const from = h.sim.calls.length;
      const rerun = await clearAndRerun("successor-key", before);
      expect(volumeKey(rerun.keys)).toMatchObject({ slot: key.slot, successorKeyId: successor });
      // Read back first (still the predecessor), then the one move, proven by a second read-back.
      expect(h.callsSince(from).filter((c) => /VolumeKmsKey$/.test(c))).toEqual(["GetVolumeKmsKey", "UpdateVolumeKmsKey", "GetVolumeKmsKey"]);
    });

    it("reset on every call, with retry.maxTotalMs shorter than the wait before the read-back: the volume is sent once, read back, and left pending", async () => {
      h = await startFaultEngine({ rotation: { retry: { maxAttempts: ATTEMPTS, baseDelayMs: 500, maxTotalMs: 400 } } });
      h.sim.faults.set("UpdateVolumeKmsKey", { kind: "reset" });
      const run = await rotate(h.deps, { trigger: "test" });
      expect(run.status).toBe("partial");
      const volumeCalls = h.sim.calls.filter((c) => c.path.includes(SEED.volumeId) && /VolumeKmsKey$/.test(c.operation)).map((c) => c.operation);
      expect(volumeCalls).toEqual(["UpdateVolumeKmsKey", "GetVolumeKmsKey"]);
      const key = volumeKey(run.keys);
      expect((await findRotationRekeys(h.deps.store.db, SEED.volumeKeyId, key.slot!)).map((r) => [r.resourceKind, r.status])).toEqual([["bootvolume", "succeeded"], ["volume", "pending"]]);
    });

    it.each(LOST_ANSWER_FAULTS)("$kind after the simulator applied it: the read-back shows the successor, the volume counts as moved; one UpdateVolumeKmsKey in all", async (fault) => {
      h = await startFaultEngine({ attemptTimeoutMs: attemptTimeoutFor(fault.kind) });
      const before = versionsOf(h.sim, SEED.bucketKeyId).length;
      h.sim.faults.set("UpdateVolumeKmsKey", { kind: fault.kind, after: "applied" });
      const run = await rotate(h.deps, { trigger: "test" });

      expect(run.status).toBe("succeeded");
      const key = volumeKey(run.keys);
      expect(key.resources.map((r) => [r.kind, r.status, r.detail])).toEqual([
        ["bootvolume", "succeeded", null], ["volume", "succeeded", "applied although its answer was lost (read back)"],
      ]);
      expect(h.callsOf("UpdateVolumeKmsKey").map((c) => c.fault)).toEqual([fault.kind]);
      const volumeCalls = h.sim.calls.filter((c) => c.path.includes(SEED.volumeId) && /VolumeKmsKey$/.test(c.operation)).map((c) => c.operation);
      expect(volumeCalls).toEqual(["UpdateVolumeKmsKey", "GetVolumeKmsKey"]);
      expect((await findRotationRekeys(h.deps.store.db, SEED.volumeKeyId, key.slot!)).map((r) => [r.resourceKind, r.status])).toEqual([["bootvolume", "succeeded"], ["volume", "succeeded"]]);
      expect(rotationCounts(h, before)).toEqual({ ...ONE_ROTATION, volumeMovesApplied: 0 });
      h.sim.faults.clear();
      const from = h.sim.calls.length;
      expect((await rotate(h.deps, { trigger: "test" })).status).toBe("skipped");
      expect(h.sim.calls.slice(from).filter((c) => WRITES.test(c.operation))).toEqual([]);
    });

    it("answered 200 but not applied: the read-back catches it, the volume fails (partial); the rerun moves it once", async () => {
      h = await startFaultEngine();
      const before = versionsOf(h.sim, SEED.bucketKeyId).length;
      h.sim.faults.set("UpdateVolumeKmsKey", { kind: "not-applied" });
      const run = await rotate(h.deps, { trigger: "test" });

      expect(run.status).toBe("partial");
      const key = volumeKey(run.keys);
      const volume = key.resources.find((r) => r.kind === "volume")!;
      expect(volume).toMatchObject({ status: "failed", operation: "GetVolumeKmsKey" });
      expect(volume.error!.message).toBe(`volume "pg-data-vol" reads back key ${SEED.volumeKeyId}, not the successor ${key.successorKeyId}: the change did not apply`);
      expect(key.resources.find((r) => r.kind === "bootvolume")!.status).toBe("succeeded");
      expect(h.callsOf("UpdateVolumeKmsKey").map((c) => [c.status, c.fault])).toEqual([[200, "not-applied"]]);
      const steps = (await findRotationSteps(h.deps.store.db, { runId: run.runId })).filter((s) => s.resourceId === SEED.volumeId);
      expect(steps.map((s) => [s.operation, s.status, s.attempts])).toEqual([["UpdateVolumeKmsKey", "succeeded", 1], ["GetVolumeKmsKey", "failed", 1]]);
      expect(steps[0]!.opcRequestId).toBe(h.callsOf("UpdateVolumeKmsKey")[0]!.requestId);

      await clearAndRerun("successor-key", before);
    });
  });
});

describe("B15 and B17 through rotate()", () => {
  let h: FaultHarness;
  afterEach(async () => h?.close());

  it("B17: a tagged bucket on an Oracle-managed key is 'not eligible – Oracle-managed key'; a 10,000-object bucket still re-encrypting is 'in progress, 60%, …' (partial), and the next run records it done", async () => {
    h = await startFaultEngine({
      // Stop waiting 6 min 1 s after the re-encryption starts: 10,000 objects at 1,000 a minute are 60 % done then.
      rotation: { workRequestPollMs: 60_000, workRequestMaxWaitMs: 361_000 },
      changeSeed: (seed) => {
        seed.buckets!.find((b) => b.name === "web-assets")!.freeformTags = { "backup-encryption": "enabled" };
        seed.buckets!.find((b) => b.name === "db-backups")!.approximateCount = 10_000;
      },
    });
    const before = versionsOf(h.sim, SEED.bucketKeyId).length;
    const run = await rotate(h.deps, { trigger: "test" });

    expect(run.status).toBe("partial");
    const webAssets = run.inventory!.resources.find((r) => r.displayName === "web-assets")!;
    expect(run.findings.filter((f) => f.resourceId === webAssets.id)).toEqual([
      expect.objectContaining({ code: "ORACLE_MANAGED_KEY", message: 'bucket "web-assets" has no customer-managed key: not eligible – Oracle-managed key.' }),
    ]);
    expect(run.plan!.notEligible!.map((r) => [r.resource.displayName, r.action, r.reason])).toEqual([["web-assets", "not-eligible", expect.stringContaining("not eligible – Oracle-managed key")]]);
    expect(h.callsOf("ReencryptBucket").map((c) => bucketOf(c.path))).toEqual(["app-backups", "db-backups"]);

    const key = run.keys.find((k) => k.strategy === "key-version")!;
    expect(key.status).toBe("partial");
    const wr = Object.values(objectStorageState(h.sim.state).workRequests).find((w) => w.bucketName === "db-backups")!;
    const startedAt = new Date(Date.parse(wr.timeAccepted) + 1_000).toISOString();
    expect(key.resources.map((r) => [r.displayName, r.status, r.detail])).toEqual([
      ["app-backups", "succeeded", null],
      ["db-backups", "in-progress", `in progress, 60%, work request ${wr.id}, started at ${startedAt}`],
    ]);
    expect(key.resources[1]!.workRequestId).toBe(wr.id);
    const rekeys = await findRotationRekeys(h.deps.store.db, SEED.bucketKeyId, key.slot!);
    expect(rekeys.map((r) => [r.status, r.percentComplete, r.workRequestId])).toEqual([["succeeded", 100, expect.any(String)], ["in-progress", 60, wr.id]]);
    expect(await findRotationRunById(h.deps.store.db, run.runId)).toMatchObject({ status: "partial", summary: { resources: { "in-progress": 1, succeeded: 3 } } });

    // Five minutes later the work request has finished: the next run records it, without a second ReencryptBucket.
    h.sim.clock.advance(5 * 60_000);
    const from = h.sim.calls.length;
    const next = await rotate(h.deps, { trigger: "test" });
    expect(next.status).toBe("succeeded");
    const resumed = next.keys.find((k) => k.strategy === "key-version")!;
    expect(resumed.resources.map((r) => [r.displayName, r.status])).toEqual([["app-backups", "skipped"], ["db-backups", "succeeded"]]);
    expect(h.callsSince(from).filter((c) => c.startsWith("ReencryptBucket") || c.startsWith("GetWorkRequest"))).toEqual(["GetWorkRequest db-backups"]);
    expect((await findRotationRekeys(h.deps.store.db, SEED.bucketKeyId, key.slot!)).map((r) => [r.status, r.percentComplete])).toEqual([["succeeded", 100], ["succeeded", 100]]);
    expect(rotationCounts(h, before)).toEqual(ONE_ROTATION);
  });

  it("B15: volumes behind an RSA key: 'incompatible key algorithm – AES required', no CreateKey and no UpdateVolumeKmsKey in any run, the bucket key still rotates", async () => {
    h = await startFaultEngine({
      changeSeed: (seed) => {
        seed.keys.find((k) => k.id === SEED.volumeKeyId)!.keyShape = { algorithm: "RSA", length: 256 } as never;
      },
    });
    const before = versionsOf(h.sim, SEED.bucketKeyId).length;
    for (const status of ["succeeded", "skipped"]) {
      const run = await rotate(h.deps, { trigger: "test" });
      // The first run rotates the bucket key; the volume item is a finding, not a failure (rule 9).
      expect(run.status).toBe(status);
      const volume = run.keys.find((k) => k.keyId === SEED.volumeKeyId)!;
      expect(volume).toMatchObject({ status: "skipped", successorKeyId: null, createdThisRun: false });
      expect(volume.reason).toContain("incompatible key algorithm – AES required");
      expect(volume.resources.filter((r) => r.kind === "volume" || r.kind === "bootvolume").map((r) => [r.status, r.detail])).toEqual([
        ["not-eligible", expect.stringContaining("incompatible key algorithm – AES required")],
        ["not-eligible", expect.stringContaining("incompatible key algorithm – AES required")],
      ]);
      const findings = run.findings.filter((f) => f.code === "NON_AES_KEY_FOR_VOLUME");
      expect(findings.map((f) => f.resourceId).sort()).toEqual([SEED.bootVolumeId, SEED.volumeId].sort());
      for (const f of findings) expect(f.message).toContain("incompatible key algorithm – AES required");
    }
    expect(h.sim.calls.filter((c) => /^(CreateKey|Update(Boot)?VolumeKmsKey)$/.test(c.operation))).toEqual([]);
    expect(versionsOf(h.sim, SEED.bucketKeyId)).toHaveLength(before + 1);
    expect(h.applied("ReencryptBucket")).toBe(2);
  });
});
