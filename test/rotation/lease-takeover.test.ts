/**
 * A run that pauses longer than its key lease (leaseTtlMs) while an OCI call is in flight, and a
 * second run that takes the lease over and finishes the slot meanwhile (issue 4 §4, "exactly
 * once"): when the first run wakes up, its late writes are refused by the store (the lease is no
 * longer its own, and a completed slot or a succeeded re-key never changes again), it stops
 * working on the key, and the next run has nothing left to do. On SQLite and PostgreSQL.
 *
 * Run A's call hangs in the simulator (the fault strikes before the handler, so nothing of it is
 * applied) until A's attempt timeout; the simulator clock, which the engine shares, is moved past
 * the lease's expiry while it hangs, and run B runs in full.
 */
import { afterEach, describe, expect, it } from "vitest";
import { rotate, type RotateDeps } from "../../src/rotation/rotate.js";
import { findRotationRekeys, findRotationSlot, findRotationSteps } from "../../src/store/rotation-records.js";
import { TEST_DIALECTS } from "../helpers/db.js";
import { portsFor } from "../helpers/oci-ports.js";
import { SEED, startEngine, versionsOf, type EngineHarness } from "./execute-harness.js";
import { BUCKETS, workRequestsInBucketOrder } from "./faults-harness.js";

const WRITES = /^(Create|Update|Reencrypt|Delete|Schedule|Cancel|Enable|Disable)/;
const SLOT = `${SEED.bucketKeyId}@${SEED.bucketKeyVersionId}`;

describe.each(TEST_DIALECTS)("lease takeover on %s", (dialect) => {
  let h: EngineHarness;
  let closeA: () => void = () => undefined;
  afterEach(async () => {
    closeA();
    await h?.close();
  });

  /**
   * Starts run A (bucket key only) with `operation` hanging once, waits until that call is in
   * flight, moves the clock past A's lease, runs B to the end, then waits for A.
   */
  async function pauseAWhileBRuns(operation: "CreateKeyVersion" | "ReencryptBucket") {
    h = await startEngine({ dialect });
    // One attempt of 2 s: A's hung call ends as a timeout (a CreateKeyVersion is not retried either).
    const portsA = portsFor(h.sim, { retry: { maxAttempts: 1, timeoutMs: 2_000 } });
    closeA = () => portsA.close();
    const depsA: RotateDeps = { ...h.deps, oci: portsA, holder: "run-A" };
    const depsB: RotateDeps = { ...h.deps, holder: "run-B" };
    const versionsBefore = versionsOf(h.sim, SEED.bucketKeyId).length;
    h.sim.faults.set(operation, { kind: "hang", times: 1 });
    const a = rotate(depsA, { trigger: "test", keyId: SEED.bucketKeyId });
    while (!h.sim.calls.some((c) => c.operation === operation && c.fault === "hang")) await new Promise((r) => setTimeout(r, 5));
    h.sim.clock.advance(h.deps.config.rotation.leaseTtlMs + 1_000);
    const b = await rotate(depsB, { trigger: "test", keyId: SEED.bucketKeyId });
    const runA = await a;
    return { a: runA, b, versionsBefore };
  }

  it("A's CreateKeyVersion hangs past its lease, B resumes the slot and completes it; A's late 'failed' is refused: the slot stays completed, the next run does nothing", async () => {
    const { a, b, versionsBefore: before } = await pauseAWhileBRuns("CreateKeyVersion");

    expect(b.keys.map((k) => [k.keyId, k.status, k.slot])).toEqual([[SEED.bucketKeyId, "rotated", SLOT]]);
    const version = versionsOf(h.sim, SEED.bucketKeyId).at(-1)!;
    const bucketA = a.keys.find((k) => k.keyId === SEED.bucketKeyId)!;
    // A stops on the key: its write was refused because B had taken the lease over (and released it).
    expect(bucketA).toMatchObject({ status: "failed", error: { operation: "Lease" } });
    expect(bucketA.error!.message).toMatch(/lease on key .* was taken over by another run/);
    expect(await findRotationSlot(h.deps.store.db, SEED.bucketKeyId, SLOT)).toMatchObject({ status: "completed", newKeyVersionId: version.id });
    expect((await findRotationRekeys(h.deps.store.db, SEED.bucketKeyId, SLOT)).map((r) => r.status)).toEqual(["succeeded", "succeeded"]);

    h.sim.faults.clear();
    const from = h.sim.calls.length;
    const next = await rotate({ ...h.deps, holder: "run-C" }, { trigger: "test", keyId: SEED.bucketKeyId });
    expect(next.keys.map((k) => k.status)).toEqual(["not-due"]);
    expect(h.sim.calls.slice(from).filter((c) => WRITES.test(c.operation))).toEqual([]);
    expect(versionsOf(h.sim, SEED.bucketKeyId)).toHaveLength(before + 1);
    expect(workRequestsInBucketOrder(h).map((w) => [w.bucketName, w.kmsKeyVersionId])).toEqual(BUCKETS.map((bucket) => [bucket, version.id]));
  });

  it("A's ReencryptBucket hangs past its lease, B re-encrypts both buckets; A's late 'pending' is refused: the re-key stays succeeded, one ReencryptBucket per bucket in all", async () => {
    const { a, b } = await pauseAWhileBRuns("ReencryptBucket");

    // B resumed A's slot: adopted A's version, looked for a work request of the pending bucket (none:
    // A's call never reached OCI), then re-encrypted both.
    expect(b.keys.map((k) => [k.status, k.slot])).toEqual([["rekeyed", SLOT]]);
    const bucketA = a.keys.find((k) => k.keyId === SEED.bucketKeyId)!;
    expect(bucketA).toMatchObject({ status: "failed", error: { operation: "Lease" } });
    const wrs = workRequestsInBucketOrder(h);
    expect(wrs.map((w) => w.bucketName)).toEqual([...BUCKETS]);
    const rekeys = await findRotationRekeys(h.deps.store.db, SEED.bucketKeyId, SLOT);
    expect(rekeys.map((r) => [r.status, r.workRequestId]).sort()).toEqual(wrs.map((w) => ["succeeded", w.id]).sort());
    expect(await findRotationSlot(h.deps.store.db, SEED.bucketKeyId, SLOT)).toMatchObject({ status: "completed" });
    // A sent nothing after waking up: its timed-out ReencryptBucket is its last call step.
    const stepsA = await findRotationSteps(h.deps.store.db, { runId: a.runId });
    expect(stepsA.map((s) => [s.operation, s.status]).at(-1)).toEqual(["ReencryptBucket", "failed"]);

    h.sim.faults.clear();
    const from = h.sim.calls.length;
    const next = await rotate({ ...h.deps, holder: "run-C" }, { trigger: "test", keyId: SEED.bucketKeyId });
    expect(next.keys.map((k) => k.status)).toEqual(["not-due"]);
    expect(h.sim.calls.slice(from).filter((c) => WRITES.test(c.operation))).toEqual([]);
    // One ReencryptBucket that started a work request per bucket, across all three runs.
    expect(Object.fromEntries(BUCKETS.map((bucket) => [bucket, wrs.filter((w) => w.bucketName === bucket).length]))).toEqual({ "app-backups": 1, "db-backups": 1 });
    expect(workRequestsInBucketOrder(h)).toHaveLength(BUCKETS.length);
  });
});
