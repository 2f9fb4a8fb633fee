import { describe, expect, it } from "vitest";
import {
  acquireRotationLease,
  claimRotationSlot,
  findOpenRotationSlots,
  findRotationLease,
  findRotationRekeys,
  findRotationRunById,
  findRotationSlot,
  findRotationSteps,
  finishRotationRun,
  finishRotationStep,
  insertRotationRun,
  insertRotationStep,
  releaseRotationLease,
  renewRotationLease,
  updateRotationSlot,
  upsertRotationRekey,
} from "../../src/store/rotation-records.js";
import { TEST_DIALECTS, useTestStore } from "../helpers/db.js";

const KEY = "ocid1.key.oc1.iad.vault1.aaaa";
const T0 = "2026-07-01T00:00:00.000Z";
const T1 = "2026-07-01T00:15:00.000Z";
const T2 = "2026-07-01T00:30:00.000Z";

describe.each(TEST_DIALECTS)("rotation records on %s", (dialect) => {
  const testStore = useTestStore(dialect);

  it("stores a run and its steps, and reads back the summary and every OCI id", async () => {
    const { db } = testStore().store;
    const runId = await insertRotationRun(db, { startedAt: T0, trigger: "cli", dryRun: false, holder: "h:1:a", keyFilter: null });
    const stepId = await insertRotationStep(db, {
      runId, keyId: KEY, slot: `${KEY}@v1`, resourceId: null, operation: "CreateKeyVersion", status: "running", attempts: 0,
      opcRequestId: null, workRequestId: null, detail: {}, error: null, startedAt: T0, finishedAt: null,
    });
    await finishRotationStep(db, stepId, {
      status: "succeeded", attempts: 2, opcRequestId: "req/1/2", workRequestId: null, detail: { newKeyVersionId: "v2" }, error: null, finishedAt: T1,
    });
    await finishRotationRun(db, runId, { finishedAt: T2, status: "partial", summary: { counts: { failed: 1 } }, error: null });

    const run = await findRotationRunById(db, runId);
    expect(run).toMatchObject({ id: runId, status: "partial", dryRun: false, finishedAt: T2, summary: { counts: { failed: 1 } } });
    const steps = await findRotationSteps(db, { runId });
    expect(steps).toEqual([{
      id: stepId, runId, keyId: KEY, slot: `${KEY}@v1`, resourceId: null, operation: "CreateKeyVersion", status: "succeeded", attempts: 2,
      opcRequestId: "req/1/2", workRequestId: null, detail: { newKeyVersionId: "v2" }, error: null, startedAt: T0, finishedAt: T1,
    }]);
  });

  it("gives a lease to one holder, refuses a second until it expires, then lets the second take it over", async () => {
    const { db } = testStore().store;
    expect(await acquireRotationLease(db, { keyId: KEY, holder: "A", runId: 1, now: T0, expiresAt: T1 })).toBe(true);
    expect(await acquireRotationLease(db, { keyId: KEY, holder: "B", runId: 2, now: "2026-07-01T00:14:59.999Z", expiresAt: T2 })).toBe(false);
    expect(await findRotationLease(db, KEY)).toMatchObject({ holder: "A", runId: 1, expiresAt: T1 });
    // A lease that expired exactly now is free.
    expect(await acquireRotationLease(db, { keyId: KEY, holder: "B", runId: 2, now: T1, expiresAt: T2 })).toBe(true);
    expect(await findRotationLease(db, KEY)).toMatchObject({ holder: "B", runId: 2, acquiredAt: T1, expiresAt: T2 });
    // A lost its lease: it can neither renew nor release B's.
    expect(await renewRotationLease(db, { keyId: KEY, holder: "A", expiresAt: "2026-07-01T01:00:00.000Z" })).toBe(false);
    await releaseRotationLease(db, { keyId: KEY, holder: "A" });
    expect(await findRotationLease(db, KEY)).toMatchObject({ holder: "B" });
    expect(await renewRotationLease(db, { keyId: KEY, holder: "B", expiresAt: "2026-07-01T01:00:00.000Z" })).toBe(true);
    await releaseRotationLease(db, { keyId: KEY, holder: "B" });
    expect(await findRotationLease(db, KEY)).toBeUndefined();
  });

  // PostgreSQL: 20 transactions on a pool of 5 connections. SQLite: kysely queues them on its one
  // connection (separate processes are covered by test/rotation/rotate.processes.test.ts).
  it("lets exactly one of 20 concurrent acquirers win the lease", async () => {
    const { db } = testStore().store;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction().execute((trx) => acquireRotationLease(trx, { keyId: KEY, holder: `H${i}`, runId: i, now: T0, expiresAt: T1 }))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await findRotationLease(db, KEY)).toMatchObject({ holder: `H${results.indexOf(true)}` });
  });

  /** Gives `holder` the lease on KEY (and k1, k2, k3) from T0 to T2. */
  async function lease(holder = "A", keys = [KEY, "k1", "k2", "k3"]) {
    const { db } = testStore().store;
    for (const keyId of keys) expect(await acquireRotationLease(db, { keyId, holder, runId: 1, now: T0, expiresAt: T2 })).toBe(true);
    return { keyId: keys[0]!, holder };
  }
  const guard = (keyId: string, holder = "A") => ({ keyId, holder });

  it("claims a slot once: the second claim returns the first record unchanged", async () => {
    const { db } = testStore().store;
    await lease();
    const first = await claimRotationSlot(db, { keyId: KEY, slot: `${KEY}@v1`, strategy: "key-version", retryToken: "kp-1", firstRunId: 1, createdAt: T0 });
    expect(first.created).toBe(true);
    expect(first.record).toEqual({
      keyId: KEY, slot: `${KEY}@v1`, strategy: "key-version", retryToken: "kp-1", status: "started", firstRunId: 1,
      newKeyVersionId: null, successorKeyId: null, createdAt: T0, updatedAt: T0,
    });
    expect(await updateRotationSlot(db, KEY, `${KEY}@v1`, { status: "rotated", newKeyVersionId: "v2", updatedAt: T1 }, guard(KEY))).toBe(true);
    const second = await claimRotationSlot(db, { keyId: KEY, slot: `${KEY}@v1`, strategy: "key-version", retryToken: "kp-other", firstRunId: 2, createdAt: T2 });
    expect(second.created).toBe(false);
    expect(second.record).toMatchObject({ retryToken: "kp-1", status: "rotated", firstRunId: 1, newKeyVersionId: "v2", createdAt: T0, updatedAt: T1 });
  });

  it("lists open slots only (not completed, not superseded), oldest first, optionally for some keys", async () => {
    const { db } = testStore().store;
    await lease();
    await claimRotationSlot(db, { keyId: "k2", slot: "k2@v1", strategy: "successor-key", retryToken: "t2", firstRunId: 1, createdAt: T1 });
    await claimRotationSlot(db, { keyId: "k1", slot: "k1@v1", strategy: "key-version", retryToken: "t1", firstRunId: 1, createdAt: T0 });
    await claimRotationSlot(db, { keyId: "k3", slot: "k3@v1", strategy: "key-version", retryToken: "t3", firstRunId: 1, createdAt: T0 });
    await updateRotationSlot(db, "k3", "k3@v1", { status: "completed", updatedAt: T2 }, guard("k3"));
    await claimRotationSlot(db, { keyId: "k1", slot: "k1@v0", strategy: "key-version", retryToken: "t0", firstRunId: 1, createdAt: T0 });
    await updateRotationSlot(db, "k1", "k1@v0", { status: "superseded", updatedAt: T2 }, guard("k1"));
    expect((await findOpenRotationSlots(db)).map((s) => s.slot)).toEqual(["k1@v1", "k2@v1"]);
    expect((await findOpenRotationSlots(db, ["k2", "k3"])).map((s) => s.slot)).toEqual(["k2@v1"]);
    expect(await findOpenRotationSlots(db, [])).toEqual([]);
    expect(await findRotationSlot(db, "k3", "k3@v1")).toMatchObject({ status: "completed" });
  });

  it("keeps one re-key record per resource of a slot, replaced on update", async () => {
    const { db } = testStore().store;
    const g = await lease();
    const base = { keyId: KEY, slot: `${KEY}@v1`, resourceKind: "bucket", detail: null, updatedAt: T0 };
    expect(await upsertRotationRekey(db, { ...base, resourceId: "b2", status: "pending", workRequestId: null, percentComplete: null }, g)).toBe(true);
    expect(await upsertRotationRekey(db, { ...base, resourceId: "b1", status: "not-eligible", workRequestId: null, percentComplete: null, detail: "Oracle-managed key" }, g)).toBe(true);
    expect(await upsertRotationRekey(db, { ...base, resourceId: "b2", status: "in-progress", workRequestId: "wr1", percentComplete: 60, updatedAt: T1 }, g)).toBe(true);
    expect(await findRotationRekeys(db, KEY, `${KEY}@v1`)).toEqual([
      { ...base, resourceId: "b1", status: "not-eligible", workRequestId: null, percentComplete: null, detail: "Oracle-managed key" },
      { ...base, resourceId: "b2", status: "in-progress", workRequestId: "wr1", percentComplete: 60, updatedAt: T1 },
    ]);
  });

  describe("slot and re-key writes are monotonic and made under the caller's lease", () => {
    const SLOT = `${KEY}@v1`;
    const claim = () => claimRotationSlot(testStore().store.db, { keyId: KEY, slot: SLOT, strategy: "key-version", retryToken: "kp-1", firstRunId: 1, createdAt: T0 });
    const rekey = (status: "pending" | "in-progress" | "succeeded" | "failed", updatedAt = T1, workRequestId: string | null = null) => ({
      keyId: KEY, slot: SLOT, resourceId: "b1", resourceKind: "bucket", status, workRequestId, percentComplete: status === "succeeded" ? 100 : null, detail: null, updatedAt,
    });

    it("writes a slot only while the caller holds the key's lease: no lease, another holder's, or a lease on another key do not count", async () => {
      const { db } = testStore().store;
      await claim();
      expect(await updateRotationSlot(db, KEY, SLOT, { status: "failed", updatedAt: T1 }, guard(KEY))).toBe(false);
      await lease("B", [KEY]);
      await lease("A", ["k1"]);
      expect(await updateRotationSlot(db, KEY, SLOT, { status: "failed", updatedAt: T1 }, guard(KEY, "A"))).toBe(false);
      expect(await updateRotationSlot(db, KEY, SLOT, { status: "failed", updatedAt: T1 }, guard("k1", "B"))).toBe(false);
      expect(await findRotationSlot(db, KEY, SLOT)).toMatchObject({ status: "started", updatedAt: T0 });
      expect(await updateRotationSlot(db, KEY, SLOT, { status: "rotated", newKeyVersionId: "v2", updatedAt: T1 }, guard(KEY, "B"))).toBe(true);
      expect(await findRotationSlot(db, KEY, SLOT)).toMatchObject({ status: "rotated", newKeyVersionId: "v2", updatedAt: T1 });
      // A missing slot is no write either.
      expect(await updateRotationSlot(db, KEY, `${KEY}@v9`, { status: "failed", updatedAt: T1 }, guard(KEY, "B"))).toBe(false);
    });

    it.each(["completed", "superseded"] as const)("never changes a %s slot again, even under the lease", async (final) => {
      const { db } = testStore().store;
      const g = await lease();
      await claim();
      expect(await updateRotationSlot(db, KEY, SLOT, { status: final, newKeyVersionId: "v2", updatedAt: T1 }, g)).toBe(true);
      for (const patch of [{ status: "failed" as const }, { status: "started" as const }, { newKeyVersionId: "v3" }, { retryToken: "kp-2" }]) {
        expect(await updateRotationSlot(db, KEY, SLOT, { ...patch, updatedAt: T2 }, g)).toBe(false);
      }
      expect(await findRotationSlot(db, KEY, SLOT)).toMatchObject({ status: final, newKeyVersionId: "v2", retryToken: "kp-1", updatedAt: T1 });
      expect(await findOpenRotationSlots(db)).toEqual([]);
    });

    it("writes a re-key record only under the caller's lease (not even the first insert without it), and never moves one off succeeded", async () => {
      const { db } = testStore().store;
      expect(await upsertRotationRekey(db, rekey("pending"), guard(KEY))).toBe(false);
      expect(await findRotationRekeys(db, KEY, SLOT)).toEqual([]);
      const g = await lease();
      expect(await upsertRotationRekey(db, rekey("pending"), guard(KEY, "B"))).toBe(false);
      expect(await upsertRotationRekey(db, rekey("pending"), g)).toBe(true);
      expect(await upsertRotationRekey(db, rekey("failed", T2), g)).toBe(true);
      expect(await upsertRotationRekey(db, rekey("succeeded", T2, "wr1"), g)).toBe(true);
      for (const status of ["pending", "in-progress", "failed"] as const) {
        expect(await upsertRotationRekey(db, rekey(status, "2026-07-01T01:00:00.000Z"), g), status).toBe(false);
      }
      expect(await findRotationRekeys(db, KEY, SLOT)).toEqual([rekey("succeeded", T2, "wr1")]);
    });

    it("takeover: run A's lease lapses, run B takes it over and completes the slot; A's late writes change nothing", async () => {
      const { db } = testStore().store;
      expect(await acquireRotationLease(db, { keyId: KEY, holder: "A", runId: 1, now: T0, expiresAt: T1 })).toBe(true);
      await claim();
      expect(await upsertRotationRekey(db, rekey("pending", T0), guard(KEY, "A"))).toBe(true);
      // A pauses past its expiry; B takes the lease over and finishes the slot.
      expect(await acquireRotationLease(db, { keyId: KEY, holder: "B", runId: 2, now: T1, expiresAt: T2 })).toBe(true);
      expect(await upsertRotationRekey(db, rekey("succeeded", T1, "wr-b"), guard(KEY, "B"))).toBe(true);
      expect(await updateRotationSlot(db, KEY, SLOT, { status: "completed", newKeyVersionId: "v2", updatedAt: T1 }, guard(KEY, "B"))).toBe(true);
      // A wakes up: its "failed" and "pending" are refused, while B still holds the lease and after B released it.
      expect(await updateRotationSlot(db, KEY, SLOT, { status: "failed", updatedAt: T2 }, guard(KEY, "A"))).toBe(false);
      expect(await upsertRotationRekey(db, rekey("pending", T2), guard(KEY, "A"))).toBe(false);
      await releaseRotationLease(db, { keyId: KEY, holder: "B" });
      expect(await updateRotationSlot(db, KEY, SLOT, { status: "failed", updatedAt: T2 }, guard(KEY, "A"))).toBe(false);
      expect(await upsertRotationRekey(db, rekey("failed", T2), guard(KEY, "A"))).toBe(false);
      expect(await findRotationSlot(db, KEY, SLOT)).toMatchObject({ status: "completed", newKeyVersionId: "v2", updatedAt: T1 });
      expect(await findRotationRekeys(db, KEY, SLOT)).toEqual([rekey("succeeded", T1, "wr-b")]);
      expect(await findOpenRotationSlots(db)).toEqual([]);
    });
  });
});

