/**
 * Issue 4 acceptance, fault matrix at the rotate() level, part 3: faults on the reads the run
 * starts with. A read that defines the scope (ListKeys, and the GetKey that completes each listed
 * key) failing fails the whole run with the reason (DESIGN §3 rule 7: never a silent zero; cases
 * B03: never success), and nothing is written. After the fault clears, a rerun rotates each due
 * key once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { rotate } from "../../src/rotation/rotate.js";
import { findRotationRunById } from "../../src/store/rotation-records.js";
import { SEED, versionsOf } from "./execute-harness.js";
import { ATTEMPTS, attemptTimeoutFor, ERROR_FAULTS, ONE_ROTATION, rotationCounts, startFaultEngine, type FaultHarness } from "./faults-harness.js";

const WRITES = /^(Create|Update|Reencrypt|Delete|Schedule|Cancel|Enable|Disable)/;

describe("rotate() with a fault on the inventory reads", () => {
  let h: FaultHarness;
  afterEach(async () => h?.close());

  it.each(ERROR_FAULTS)("ListKeys $kind on every attempt: the run fails with reason $reason and writes nothing; the rerun rotates each key once", async (fault) => {
    h = await startFaultEngine({ attemptTimeoutMs: attemptTimeoutFor(fault.kind) });
    const before = versionsOf(h.sim, SEED.bucketKeyId).length;
    h.sim.faults.set("ListKeys", { kind: fault.kind });
    const run = await rotate(h.deps, { trigger: "test" });

    expect(run).toMatchObject({ status: "failed", keys: [], plan: null, error: { operation: "Inventory", reason: fault.reason, statusCode: fault.statusCode, attempts: ATTEMPTS } });
    expect(run.error!.message).toContain("ListKeys");
    expect(h.sim.calls.filter((c) => WRITES.test(c.operation))).toEqual([]);
    const record = await findRotationRunById(h.deps.store.db, run.runId);
    expect(record).toMatchObject({ status: "failed", error: run.error!.message });

    h.sim.faults.clear();
    const rerun = await rotate(h.deps, { trigger: "test" });
    expect(rerun.status).toBe("succeeded");
    expect(rerun.keys.map((k) => k.status)).toEqual(["rotated", "rotated"]);
    expect(rotationCounts(h, before)).toEqual(ONE_ROTATION);
  });

  it("B03: GetKey throttled on every attempt: each key is a KEY_NOT_READABLE finding, the run fails (never skipped), nothing is written; the rerun rotates each key once", async () => {
    h = await startFaultEngine();
    const before = versionsOf(h.sim, SEED.bucketKeyId).length;
    h.sim.faults.set("GetKey", { kind: "throttle" });
    const run = await rotate(h.deps, { trigger: "test" });

    // A key GetKey cannot read cannot be planned: a finding per key, and the run fails (never "skipped", B03).
    expect(run).toMatchObject({ status: "failed", keys: [], error: null });
    const unreadable = run.findings.filter((f) => f.code === "KEY_NOT_READABLE");
    expect(unreadable.length).toBeGreaterThan(0);
    for (const f of unreadable) expect(f).toMatchObject({ severity: "high", message: expect.stringMatching(/throttled \(HTTP 429 TooManyRequests\)/) });
    expect(h.sim.calls.filter((c) => c.operation === "GetKey").every((c) => c.status === 429)).toBe(true);
    expect(h.sim.calls.filter((c) => WRITES.test(c.operation))).toEqual([]);
    expect(await findRotationRunById(h.deps.store.db, run.runId)).toMatchObject({ status: "failed" });

    h.sim.faults.clear();
    const rerun = await rotate(h.deps, { trigger: "test" });
    expect(rerun.status).toBe("succeeded");
    expect(rotationCounts(h, before)).toEqual(ONE_ROTATION);
  });
});
