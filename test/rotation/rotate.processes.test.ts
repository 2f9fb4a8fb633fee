/**
 * Exactly once across real processes (issue 4 §4, DESIGN §7): `keyproof rotate` (and the small
 * child script for runs on a given clock) started as separate Node processes on one SQLite file,
 * against one simulator running in this test process (its URL passed as KEYPROOF_OCI_ENDPOINT).
 * The simulator clock ticks with the wall clock here, so work requests finish while the children
 * poll them.
 */
import { stderrProblems } from "../helpers/child-stderr.js";
import { describe, expect, it } from "vitest";
import { objectStorageState } from "../../src/sim/objectstorage/object-storage-state.js";
import type { Simulator } from "../../src/sim/start-simulator.js";
import { findRotationRekeys, findRotationRuns, findRotationSlots, findRotationSteps } from "../../src/store/rotation-records.js";
import type { TestStore } from "../helpers/db.js";
import { SEED, successorsOf, versionsOf } from "./execute-harness.js";
import { inWorld, type World } from "./rotate-world.js";

const count = (sim: Simulator, operation: string, match?: string) =>
  sim.calls.filter((c) => c.operation === operation && c.status >= 200 && c.status < 300 && (!match || c.path.includes(match))).length;

/** Waits until every lease left in the store has expired (a killed holder's lease lapses after leaseTtlMs). */
async function leasesExpired(store: TestStore): Promise<void> {
  const rows = await store.store.db.selectFrom("rotation_lease").select("expires_at").execute();
  const last = Math.max(0, ...rows.map((r) => Date.parse(r.expires_at)));
  const wait = last - Date.now() + 50;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** Exactly one new bucket key version and one successor key; every bucket and volume re-keyed once, all slots completed. */
async function expectRotatedExactlyOnce(w: World): Promise<void> {
  expect(versionsOf(w.sim, SEED.bucketKeyId)).toHaveLength(4);
  const successors = successorsOf(w.sim, SEED.volumeKeyId);
  expect(successors).toHaveLength(1);
  expect(count(w.sim, "ReencryptBucket", "/b/db-backups/")).toBe(1);
  expect(count(w.sim, "ReencryptBucket", "/b/app-backups/")).toBe(1);
  expect(count(w.sim, "UpdateVolumeKmsKey")).toBe(1);
  expect(count(w.sim, "UpdateBootVolumeKmsKey")).toBe(1);
  expect(w.sim.state.volumes.get(SEED.volumeId)!.kmsKeyId).toBe(successors[0]!.id);
  expect(w.sim.state.bootVolumes.get(SEED.bootVolumeId)!.kmsKeyId).toBe(successors[0]!.id);
  expect(Object.values(objectStorageState(w.sim.state).workRequests).map((wr) => wr.kmsKeyVersionId)).toEqual([
    versionsOf(w.sim, SEED.bucketKeyId).at(-1)!.id, versionsOf(w.sim, SEED.bucketKeyId).at(-1)!.id,
  ]);
  const db = w.store.store.db;
  for (const keyId of [SEED.bucketKeyId, SEED.volumeKeyId]) {
    const slots = await findRotationSlots(db, keyId);
    expect(slots.map((s) => s.status)).toEqual(["completed"]);
    expect((await findRotationRekeys(db, keyId, slots[0]!.slot)).map((r) => r.status)).toEqual(["succeeded", "succeeded"]);
  }
}

describe("exactly once across processes", () => {

  it("two `keyproof rotate` started together make one new version and one successor, and re-key each resource once", () => inWorld(undefined, async (w) => {
    // Slow key writes keep the first lease holder busy while the other process reaches the key.
    w.sim.faults.set("CreateKeyVersion", { latencyMs: 1_000 });
    w.sim.faults.set("CreateKey", { latencyMs: 1_000 });
    const [a, b] = await Promise.all([w.cli(), w.cli()]);
    for (const r of [a, b]) {
      expect(stderrProblems(r.stderr)).toEqual([]);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^run \d+ (succeeded|skipped): /m);
    }
    await expectRotatedExactlyOnce(w);
    expect(count(w.sim, "CreateKeyVersion")).toBe(1);
    expect(count(w.sim, "CreateKey")).toBe(1);
    // Each key was rotated by one run; the other run left it (lease held, slot done, or no longer due).
    const runs = await findRotationRuns(w.store.store.db);
    expect(runs).toHaveLength(2);
    const outcomes = runs.flatMap((r) => (r.summary.outcomes as { keyId: string; status: string }[]));
    for (const keyId of [SEED.bucketKeyId, SEED.volumeKeyId]) {
      expect(outcomes.filter((o) => o.keyId === keyId && o.status === "rotated")).toHaveLength(1);
    }
  }));

  it("B22: runs started at 23:59:59.998 and 00:00:00.000 call CreateKeyVersion once; the second is a logged no-op", () => inWorld("2026-10-06T23:59:59.990Z", async (w) => {
    w.sim.faults.set("CreateKeyVersion", { latencyMs: 2_000 });
    const early = w.script({ KEYPROOF_TEST_NOW: "2026-10-06T23:59:59.998Z" });
    await new Promise((resolve) => setTimeout(resolve, 2));
    const onTime = w.script({ KEYPROOF_TEST_NOW: "2026-10-07T00:00:00.000Z" });
    const results = await Promise.all([early, onTime]);
    for (const r of results) {
      expect(stderrProblems(r.stderr)).toEqual([]);
      expect(r.status).toBe(0);
    }
    expect(count(w.sim, "CreateKeyVersion")).toBe(1);
    expect(versionsOf(w.sim, SEED.bucketKeyId)).toHaveLength(4);
    const runs = await findRotationRuns(w.store.store.db);
    // Each run's clock started at its firing instant (plus its own start-up time).
    const started = runs.map((r) => Date.parse(r.startedAt)).sort();
    expect(started[0]! - Date.parse("2026-10-06T23:59:59.998Z")).toBeGreaterThanOrEqual(0);
    expect(started[1]! - Date.parse("2026-10-07T00:00:00.000Z")).toBeGreaterThanOrEqual(0);
    expect(started[1]! - started[0]!).toBeLessThan(10_000);
    const steps = await findRotationSteps(w.store.store.db, { keyId: SEED.bucketKeyId });
    const created = steps.filter((s) => s.operation === "CreateKeyVersion");
    expect(created).toHaveLength(1);
    const noops = steps.filter((s) => (s.operation === "LeaseBusy" || s.operation === "SlotCompleted") && s.runId !== created[0]!.runId);
    expect(noops).toHaveLength(1);
    expect(noops[0]!.status).toBe("skipped");
  }));

  // Between the key's rotation and its first re-key, between two buckets, after a work request
  // ended, after the successor exists, and between a volume's update and its read-back.
  const CRASH_POINTS = ["CreateKeyVersion", "ReencryptBucket#2", "GetWorkRequest", "CreateKey", "UpdateBootVolumeKmsKey"];

  it.concurrent.each(CRASH_POINTS)("kill -9 after %s, then a rerun: one new version and successor, every resource re-keyed once", (point) => inWorld(undefined, async (w) => {
    // One key at a time, so the process dies exactly between two steps (see the report on
    // ReencryptBucket calls still in flight when a process dies).
    const crashed = await w.cli({ KEYPROOF_TEST_CRASH_AFTER: point }, ["--concurrency", "1"]);
    expect(crashed.signal).toBe("SIGKILL");
    const [operation, nth] = point.split("#");
    expect(count(w.sim, operation!)).toBeGreaterThanOrEqual(Number(nth ?? 1));
    await leasesExpired(w.store);
    const rerun = await w.cli();
    expect(stderrProblems(rerun.stderr)).toEqual([]);
    expect(rerun.status).toBe(0);
    await expectRotatedExactlyOnce(w);
    // The killed run was left "running" with no live lease: the rerun marked it abandoned, then finished.
    const runs = await findRotationRuns(w.store.store.db);
    expect(runs.map((r) => r.status)).toEqual(["abandoned", expect.stringMatching(/^(succeeded|skipped)$/)]);
    expect(runs[0]!.finishedAt! >= runs[1]!.startedAt).toBe(true);
    expect(runs[0]!.error).toContain("the process running it stopped before the run finished");
  }, 1_000));

  it.concurrent("kill -9 the moment OCI answered a ReencryptBucket (nothing of it recorded), then a rerun: the rerun adopts that work request, one ReencryptBucket per bucket", () => inWorld(undefined, async (w) => {
    const crashed = await w.cli({ KEYPROOF_TEST_CRASH_AFTER: "ReencryptBucketAnswered" }, ["--concurrency", "1"]);
    expect(crashed.signal).toBe("SIGKILL");
    const lost = Object.values(objectStorageState(w.sim.state).workRequests);
    expect(lost.length).toBeGreaterThanOrEqual(1);
    const db = w.store.store.db;
    const slot = (await findRotationSlots(db, SEED.bucketKeyId))[0]!;
    // At least the answered bucket is "pending" without its work request id.
    const before = await findRotationRekeys(db, SEED.bucketKeyId, slot.slot);
    expect(before.filter((r) => r.status === "pending" && r.workRequestId === null).length).toBeGreaterThanOrEqual(1);

    await leasesExpired(w.store);
    const rerun = await w.cli();
    expect(stderrProblems(rerun.stderr)).toEqual([]);
    expect(rerun.status).toBe(0);
    await expectRotatedExactlyOnce(w);
    const adopted = (await findRotationSteps(db, { keyId: SEED.bucketKeyId })).filter((s) => s.operation === "AdoptWorkRequest");
    expect(adopted.map((s) => s.workRequestId).sort()).toEqual(lost.map((wr) => wr.id).sort());
    expect((await findRotationRuns(db)).map((r) => r.status)).toEqual(["abandoned", "succeeded"]);
  }));
});
