import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/app/errors.js";
import { rotate, runLeaseKey } from "../../src/rotation/rotate.js";
import { acquireRotationLease, findRotationLease, findRotationRunById, findRotationSteps, insertRotationRun } from "../../src/store/rotation-records.js";
import { TEST_DIALECTS } from "../helpers/db.js";
import { SEED, executeNow, planNow, startEngine, successorsOf, versionsOf, type EngineHarness } from "./execute-harness.js";

/** Operations that change something in OCI (everything else the engine calls is a read). */
const WRITES = /^(Create|Update|Reencrypt|Delete|Schedule|Cancel|Enable|Disable|PublishMessage|PostMetricData)/;

describe("rotate(deps, input): the use case", () => {
  let h: EngineHarness;
  afterEach(async () => h?.close());

  it("dry run: returns the plan, records the run, and sends nothing to OCI", async () => {
    h = await startEngine();
    const result = await rotate(h.deps, { dryRun: true, trigger: "test" });
    expect(h.sim.calls.filter((c) => WRITES.test(c.operation))).toEqual([]);
    expect(result).toMatchObject({ status: "skipped", dryRun: true, error: null });
    expect(result.plan!.items.filter((i) => i.action === "rotate").map((i) => i.keyId).sort()).toEqual([SEED.bucketKeyId, SEED.volumeKeyId].sort());
    expect(result.keys.map((k) => k.status)).toEqual(["skipped", "skipped"]);
    expect(result.keys[0]!.reason).toMatch(/^dry run: /);
    const run = await findRotationRunById(h.deps.store.db, result.runId);
    expect(run).toMatchObject({ status: "skipped", dryRun: true, trigger: "test", finishedAt: result.finishedAt });
  });

  it("rotates both strategies in one run, records it succeeded with its findings, and never re-encrypts a bucket without a customer key (B17)", async () => {
    h = await startEngine({
      changeSeed: (seed) => {
        // web-assets joins the scope: tagged, but encrypted with an Oracle-managed key.
        seed.buckets!.find((b) => b.name === "web-assets")!.freeformTags = { "backup-encryption": "enabled" };
      },
    });
    const progress: Array<[string, string, number, number]> = [];
    const result = await rotate({ ...h.deps, onKeyDone: (o, done, total) => progress.push([o.keyName, o.status, done, total]) }, { trigger: "test" });
    expect(result.status).toBe("succeeded");
    expect(result.keys.map((k) => [k.keyName, k.status]).sort()).toEqual([["backup-objects-key", "rotated"], ["backup-volumes-2026-04", "rotated"]]);
    // Progress: one call per planned key as it finishes, counting up to the plan's size.
    expect(progress.map(([, , done, total]) => [done, total])).toEqual([[1, 2], [2, 2]]);
    expect(progress.map(([name, status]) => [name, status]).sort()).toEqual([["backup-objects-key", "rotated"], ["backup-volumes-2026-04", "rotated"]]);
    expect(h.sim.calls.filter((c) => c.operation === "CreateKeyVersion")).toHaveLength(1);
    expect(h.sim.calls.filter((c) => c.operation === "CreateKey")).toHaveLength(1);
    expect(h.sim.calls.filter((c) => c.operation === "ReencryptBucket").map((c) => decodeURIComponent(/\/b\/([^/]+)/.exec(c.path)![1]!)).sort()).toEqual(["app-backups", "db-backups"]);
    const oracleManaged = result.findings.find((f) => f.code === "ORACLE_MANAGED_KEY");
    expect(oracleManaged).toBeDefined();
    expect(result.plan!.notEligible!.map((r) => [r.resource.displayName, r.action])).toEqual([["web-assets", "not-eligible"]]);

    const run = await findRotationRunById(h.deps.store.db, result.runId);
    expect(run).toMatchObject({ status: "succeeded", dryRun: false, error: null });
    expect(run!.summary).toMatchObject({
      keys: { rotated: 2 }, resources: { succeeded: 4 }, plan: { items: 2 },
      findings: expect.arrayContaining([expect.objectContaining({ code: "ORACLE_MANAGED_KEY", resourceId: oracleManaged!.resourceId })]),
    });
    // Every step of the run is stored and finished (keys run concurrently: steps interleave).
    const steps = await findRotationSteps(h.deps.store.db, { runId: result.runId });
    expect(steps.map((s) => `${s.keyId} ${s.operation}`).sort()).toEqual(result.keys.flatMap((k) => k.steps.map((s) => `${k.keyId} ${s.operation}`)).sort());
    expect(steps.every((s) => s.status !== "running" && s.finishedAt !== null)).toBe(true);
    // Leases are released.
    expect(await findRotationLease(h.deps.store.db, SEED.bucketKeyId)).toBeUndefined();
    expect(await findRotationLease(h.deps.store.db, SEED.volumeKeyId)).toBeUndefined();
  });

  it("B22: a timer that fires at 23:59:59.998 and again at 00:00:00.000 rotates once; the second firing is a logged no-op", async () => {
    h = await startEngine();
    h.sim.clock.set("2026-10-06T23:59:59.998Z");
    const early = await planNow(h);
    h.sim.clock.set("2026-10-07T00:00:00.000Z");
    const onTime = await planNow(h);
    // Both firings planned the same slot before either ran.
    const slotOf = (p: typeof early) => p.plan.items.find((i) => i.keyId === SEED.bucketKeyId)!.slot;
    expect(slotOf(onTime)).toBe(slotOf(early));

    const first = await executeNow(h, early, { keyId: SEED.bucketKeyId });
    expect(first.calls.filter((c) => c === "CreateKeyVersion")).toHaveLength(1);
    const second = await executeNow(h, onTime, { keyId: SEED.bucketKeyId });
    expect(second.calls).toEqual([]);
    const noop = second.outcomes[0]!;
    expect(noop).toMatchObject({ status: "skipped", slot: slotOf(early), newKeyVersionId: first.outcomes[0]!.newKeyVersionId });
    expect(noop.reason).toBe(`slot ${slotOf(early)} was already rotated by run ${first.runId}: nothing to do`);
    expect((await findRotationSteps(h.deps.store.db, { runId: second.runId })).map((s) => [s.operation, s.status])).toEqual([["SlotCompleted", "skipped"]]);
    expect(h.sim.calls.filter((c) => c.operation === "CreateKeyVersion")).toHaveLength(1);
  });

  it("leaves a key whose lease another live run holds, and takes over a lease whose holder died", async () => {
    h = await startEngine();
    const now = h.sim.clock.now().getTime();
    const iso = (ms: number) => new Date(ms).toISOString();
    await acquireRotationLease(h.deps.store.db, { keyId: SEED.bucketKeyId, holder: "other:1:live", runId: null, now: iso(now), expiresAt: iso(now + 60_000) });
    await acquireRotationLease(h.deps.store.db, { keyId: SEED.volumeKeyId, holder: "other:2:dead", runId: null, now: iso(now - 3_600_000), expiresAt: iso(now - 1) });
    const result = await rotate(h.deps, { trigger: "test" });
    const bucket = result.keys.find((k) => k.keyId === SEED.bucketKeyId)!;
    expect(bucket).toMatchObject({ status: "skipped", reason: "another run holds the lease on this key and is rotating it" });
    expect(bucket.steps.map((s) => s.operation)).toEqual(["LeaseBusy"]);
    expect(h.sim.calls.filter((c) => c.operation === "CreateKeyVersion")).toEqual([]);
    expect(result.keys.find((k) => k.keyId === SEED.volumeKeyId)!.status).toBe("rotated");
    expect(result.status).toBe("succeeded");
    expect(await findRotationLease(h.deps.store.db, SEED.bucketKeyId)).toMatchObject({ holder: "other:1:live" });
  });

  it("stops working on a key whose lease expired and was taken over mid-run", async () => {
    h = await startEngine({ rotation: { leaseTtlMs: 30_000 } });
    let intruded = false;
    h.deps.sleep = async (ms) => {
      h.sim.clock.advance(ms);
      if (intruded) return;
      // This run's lease (renewed 60 s ago for 30 s) has lapsed: another process takes it over.
      const now = h.sim.clock.now().getTime();
      intruded = await acquireRotationLease(h.deps.store.db, {
        keyId: SEED.bucketKeyId, holder: "other:3:new", runId: null, now: new Date(now).toISOString(), expiresAt: new Date(now + 600_000).toISOString(),
      });
    };
    const result = await rotate(h.deps, { keyId: SEED.bucketKeyId, trigger: "test" });
    expect(intruded).toBe(true);
    const bucket = result.keys[0]!;
    expect(bucket.status).toBe("failed");
    expect(bucket.error).toMatchObject({ operation: "Lease" });
    expect(bucket.reason).toContain("was taken over by another run");
    expect(result.status).toBe("failed");
    expect(await findRotationLease(h.deps.store.db, SEED.bucketKeyId)).toMatchObject({ holder: "other:3:new" });
  });

  it("marks runs left running by a killed process (none of their leases live) abandoned, and leaves runs with a live lease running", async () => {
    h = await startEngine({ rotation: { leaseTtlMs: 60_000 } });
    const db = h.deps.store.db;
    const now = h.sim.clock.now().getTime();
    const iso = (ms: number) => new Date(ms).toISOString();
    const run = async (holder: string, lease: { key: "run" | "key"; expiresAt: number } | null) => {
      const id = await insertRotationRun(db, { startedAt: iso(now - 3_600_000), trigger: "schedule", dryRun: false, holder, keyFilter: null });
      if (lease) {
        await acquireRotationLease(db, {
          keyId: lease.key === "run" ? runLeaseKey(id) : `ocid1.key.oc1..held-by-${id}`, holder, runId: id, now: iso(now - 3_600_000), expiresAt: iso(lease.expiresAt),
        });
      }
      return id;
    };
    const killed = await run("host:1:killed", { key: "run", expiresAt: now - 1 });
    const killedHoldingAKey = await run("host:2:killed", { key: "key", expiresAt: now });
    const beforeLeases = await run("host:3:old-version", null);
    const live = await run("host:4:live", { key: "run", expiresAt: now + 30_000 });
    const liveOnAKey = await run("host:5:live", { key: "key", expiresAt: now + 1 });

    const result = await rotate(h.deps, { dryRun: true, trigger: "test" });
    const status = async (id: number) => (await findRotationRunById(db, id))!;
    for (const id of [killed, killedHoldingAKey, beforeLeases]) {
      expect(await status(id)).toMatchObject({ status: "abandoned", finishedAt: result.startedAt, error: expect.stringContaining("the process running it stopped before the run finished") });
    }
    for (const id of [live, liveOnAKey]) expect(await status(id)).toMatchObject({ status: "running", finishedAt: null, error: null });
    expect((await status(result.runId)).status).toBe("skipped");
    // Its own lease is gone once it finished.
    expect(await findRotationLease(db, runLeaseKey(result.runId))).toBeUndefined();
  });

  it("holds a lease of its own while it runs (its heartbeat), released at the end", async () => {
    h = await startEngine();
    const db = h.deps.store.db;
    const seen: Promise<unknown>[] = [];
    let runId = 0;
    const result = await rotate({
      ...h.deps,
      afterStep: (e) => {
        runId = e.runId;
        seen.push(findRotationLease(db, runLeaseKey(e.runId)));
      },
    }, { keyId: SEED.bucketKeyId, trigger: "test" });
    expect(result.runId).toBe(runId);
    const leases = await Promise.all(seen);
    expect(leases.length).toBeGreaterThan(0);
    for (const lease of leases) expect(lease).toMatchObject({ keyId: `run:${runId}`, runId, holder: expect.stringMatching(/:\d+:[0-9a-f]{8}$/) });
    expect(await findRotationLease(db, runLeaseKey(runId))).toBeUndefined();
  });

  it("limits the run to --key, and refuses a key that is not in the plan", async () => {
    h = await startEngine();
    const result = await rotate(h.deps, { keyId: SEED.volumeKeyId, trigger: "test" });
    expect(result.keys.map((k) => k.keyId)).toEqual([SEED.volumeKeyId]);
    expect(h.sim.calls.filter((c) => c.operation === "CreateKeyVersion")).toEqual([]);
    await expect(rotate(h.deps, { keyId: SEED.signingKeyId, trigger: "test" })).rejects.toMatchObject({ code: "NOT_FOUND" } satisfies Partial<AppError>);
    await expect(rotate(h.deps, { keyId: "not-an-ocid" })).rejects.toMatchObject({ code: "VALIDATION" });
  });

  it("records the run as failed, with the reason, when the inventory cannot be read (rule 7: never a silent zero)", async () => {
    h = await startEngine();
    h.sim.faults.set("SearchResources", { kind: "internal-error" });
    const result = await rotate(h.deps, { trigger: "test" });
    expect(result).toMatchObject({ status: "failed", keys: [], plan: null, error: { operation: "Inventory", statusCode: 500 } });
    expect(h.sim.calls.filter((c) => WRITES.test(c.operation))).toEqual([]);
    expect(await findRotationRunById(h.deps.store.db, result.runId)).toMatchObject({ status: "failed" });
    expect((await findRotationRunById(h.deps.store.db, result.runId))!.error).toContain("SearchResources");
  });
});

describe.each(TEST_DIALECTS)("rotate on %s", (dialect) => {
  it("rotates the example tenancy once; a second run finds nothing due", async () => {
    const h = await startEngine({ dialect });
    try {
      const first = await rotate(h.deps, { trigger: "test" });
      expect(first.status).toBe("succeeded");
      const second = await rotate(h.deps, { trigger: "test" });
      expect(second.status).toBe("skipped");
      expect(second.keys.map((k) => k.status)).toEqual(["not-due", "not-due"]);
      expect(versionsOf(h.sim, SEED.bucketKeyId)).toHaveLength(4);
      expect(successorsOf(h.sim, SEED.volumeKeyId)).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});
