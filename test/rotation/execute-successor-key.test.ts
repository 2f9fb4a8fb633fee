import { afterEach, describe, expect, it } from "vitest";
import type { KeyRotationOutcome } from "../../src/rotation/rotation-run-result.js";
import { findRotationRekeys, findRotationSlot, findRotationSteps } from "../../src/store/rotation-records.js";
import { SEED, executeNow, planNow, startEngine, successorsOf, versionsOf, type EngineHarness } from "./execute-harness.js";

const VOLUME_SLOT_PREFIX = `${SEED.volumeKeyId}@`;

describe("volume lineage rotation: CreateKey successor → ENABLED → UpdateVolumeKmsKey → read back", () => {
  let h: EngineHarness;
  afterEach(async () => h?.close());

  const volumeItem = (o: KeyRotationOutcome[]) => o.find((k) => k.strategy === "successor-key")!;
  const volumeKeyOf = (id: string) => h.sim.state.volumes.get(id)!.kmsKeyId;
  const bootKeyOf = (id: string) => h.sim.state.bootVolumes.get(id)!.kmsKeyId;

  it("creates one successor like its predecessor, moves both volumes with a read-back each, and keeps the predecessor", async () => {
    h = await startEngine();
    const predecessorVersions = versionsOf(h.sim, SEED.volumeKeyId).map((v) => [v.id, v.lifecycleState]);
    const { runId, outcomes, calls } = await executeNow(h, await planNow(h), { keyId: SEED.volumeKeyId });
    expect(calls).toEqual(["CreateKey", "GetKey", "UpdateBootVolumeKmsKey", "GetBootVolumeKmsKey", "UpdateVolumeKmsKey", "GetVolumeKmsKey"]);

    const [successor, ...more] = successorsOf(h.sim, SEED.volumeKeyId);
    expect(more).toEqual([]);
    const predecessor = h.sim.state.keys.get(SEED.volumeKeyId)!;
    expect(successor).toMatchObject({
      displayName: "backup-volumes-2026-10", vaultId: predecessor.vaultId, compartmentId: predecessor.compartmentId,
      keyShape: predecessor.keyShape, protectionMode: predecessor.protectionMode, lifecycleState: "ENABLED",
      freeformTags: { "backup-encryption": "enabled", predecessor: SEED.volumeKeyId },
    });
    expect(volumeKeyOf(SEED.volumeId)).toBe(successor!.id);
    expect(bootKeyOf(SEED.bootVolumeId)).toBe(successor!.id);
    // The predecessor stays ENABLED with every version (backups and clones made earlier need it).
    expect(predecessor.lifecycleState).toBe("ENABLED");
    expect(versionsOf(h.sim, SEED.volumeKeyId).map((v) => [v.id, v.lifecycleState])).toEqual(predecessorVersions);
    expect(h.sim.state.volumeBackups.get(SEED.volumeBackupId)!.kmsKeyId).toBe(SEED.volumeKeyId);
    expect(h.sim.calls.filter((c) => /Disable|Delete|Schedule/.test(c.operation))).toEqual([]);

    const outcome = volumeItem(outcomes);
    expect(outcome).toMatchObject({ status: "rotated", successorKeyId: successor!.id, createdThisRun: true, error: null });
    expect(outcome.slot).toMatch(new RegExp(`^${VOLUME_SLOT_PREFIX}`));
    expect(outcome.resources.map((r) => [r.kind, r.status, r.operation])).toEqual([
      ["bootvolume", "succeeded", "UpdateBootVolumeKmsKey"], ["volume", "succeeded", "UpdateVolumeKmsKey"],
    ]);
    expect(await findRotationSlot(h.deps.store.db, SEED.volumeKeyId, outcome.slot!)).toMatchObject({ status: "completed", successorKeyId: successor!.id, strategy: "successor-key" });
    const steps = await findRotationSteps(h.deps.store.db, { runId });
    expect(steps.map((s) => [s.operation, s.status])).toEqual([
      ["CreateKey", "succeeded"], ["GetKey", "succeeded"], ["UpdateBootVolumeKmsKey", "succeeded"], ["GetBootVolumeKmsKey", "succeeded"],
      ["UpdateVolumeKmsKey", "succeeded"], ["GetVolumeKmsKey", "succeeded"],
    ]);
    // Writes carry OCI's request id (reads through OciPorts return plain values).
    const writes = steps.filter((s) => s.operation === "CreateKey" || s.operation.startsWith("Update"));
    expect(writes.map((s) => s.opcRequestId)).toEqual(
      h.sim.calls.filter((c) => c.operation === "CreateKey" || c.operation.startsWith("Update")).map((c) => c.requestId),
    );
  });

  it("moves no volume when CreateKey fails", async () => {
    h = await startEngine();
    h.sim.faults.set("CreateKey", { kind: "throttle" });
    const { outcomes, calls } = await executeNow(h, await planNow(h), { keyId: SEED.volumeKeyId });
    expect(calls).toEqual(["CreateKey", "CreateKey"]);
    expect(volumeItem(outcomes)).toMatchObject({ status: "failed", successorKeyId: null, error: { operation: "CreateKey", statusCode: 429, reason: "throttled", attempts: 2 } });
    expect(volumeItem(outcomes).resources.map((r) => r.status)).toEqual(["skipped", "skipped"]);
    expect(successorsOf(h.sim, SEED.volumeKeyId)).toEqual([]);
    expect(volumeKeyOf(SEED.volumeId)).toBe(SEED.volumeKeyId);
  });

  it("fails a volume whose UpdateVolumeKmsKey was answered 200 but not applied; the boot volume carries on; the rerun moves only the volume", async () => {
    h = await startEngine();
    h.sim.faults.set("UpdateVolumeKmsKey", { kind: "not-applied", times: 1 });
    const first = await executeNow(h, await planNow(h), { keyId: SEED.volumeKeyId });
    expect(first.calls).toEqual(["CreateKey", "GetKey", "UpdateBootVolumeKmsKey", "GetBootVolumeKmsKey", "UpdateVolumeKmsKey", "GetVolumeKmsKey"]);
    const [successor] = successorsOf(h.sim, SEED.volumeKeyId);
    const outcome = volumeItem(first.outcomes);
    expect(outcome.status).toBe("partial");
    const volume = outcome.resources.find((r) => r.kind === "volume")!;
    expect(volume).toMatchObject({ status: "failed", operation: "GetVolumeKmsKey" });
    expect(volume.error!.message).toBe(`volume "pg-data-vol" reads back key ${SEED.volumeKeyId}, not the successor ${successor!.id}: the change did not apply`);
    expect(outcome.resources.find((r) => r.kind === "bootvolume")!.status).toBe("succeeded");
    expect(volumeKeyOf(SEED.volumeId)).toBe(SEED.volumeKeyId);

    // The successor is the lineage head now (not due): the open slot is resumed, not a new rotation.
    const second = await executeNow(h, await planNow(h), { keyId: SEED.volumeKeyId });
    expect(second.calls).toEqual(["GetKey", "GetVolumeKmsKey", "UpdateVolumeKmsKey", "GetVolumeKmsKey"]);
    const resumed = volumeItem(second.outcomes);
    expect(resumed).toMatchObject({ status: "rekeyed", slot: outcome.slot, successorKeyId: successor!.id, createdThisRun: false });
    expect(resumed.resources.map((r) => [r.kind, r.status])).toEqual([["bootvolume", "skipped"], ["volume", "succeeded"]]);
    expect(successorsOf(h.sim, SEED.volumeKeyId)).toHaveLength(1);
    expect(volumeKeyOf(SEED.volumeId)).toBe(successor!.id);
  });

  it("fails a volume whose read-back answers 500; the rerun reads it back first and does not re-key it a second time", async () => {
    h = await startEngine();
    h.sim.faults.set("GetVolumeKmsKey", { kind: "internal-error", times: 2 });
    const first = await executeNow(h, await planNow(h), { keyId: SEED.volumeKeyId });
    expect(first.calls).toEqual(["CreateKey", "GetKey", "UpdateBootVolumeKmsKey", "GetBootVolumeKmsKey", "UpdateVolumeKmsKey", "GetVolumeKmsKey", "GetVolumeKmsKey"]);
    const volume = volumeItem(first.outcomes).resources.find((r) => r.kind === "volume")!;
    expect(volume).toMatchObject({ status: "failed", operation: "GetVolumeKmsKey", error: { statusCode: 500, attempts: 2 } });
    const slot = volumeItem(first.outcomes).slot!;
    expect((await findRotationRekeys(h.deps.store.db, SEED.volumeKeyId, slot)).map((r) => [r.resourceKind, r.status])).toEqual(
      [["bootvolume", "succeeded"], ["volume", "failed"]],
    );

    const second = await executeNow(h, await planNow(h), { keyId: SEED.volumeKeyId });
    expect(second.calls).toEqual(["GetKey", "GetVolumeKmsKey"]);
    expect(volumeItem(second.outcomes).resources.find((r) => r.kind === "volume")).toMatchObject({ status: "succeeded", detail: "already on the successor (read back)" });
    expect(h.sim.calls.filter((c) => c.operation === "UpdateVolumeKmsKey")).toHaveLength(1);
  });

  it("sends nothing for a volume behind a non-AES key (B15): no CreateKey, no UpdateVolumeKmsKey, the other key carries on", async () => {
    h = await startEngine({
      changeSeed: (seed) => {
        const key = seed.keys.find((k) => k.id === SEED.volumeKeyId)!;
        key.keyShape = { algorithm: "RSA", length: 256 } as never;
      },
    });
    const planned = await planNow(h);
    const item = planned.plan.items.find((i) => i.keyId === SEED.volumeKeyId)!;
    expect(item.action).toBe("skip");
    // The engine's own pre-flight, even if a plan asked it to rotate.
    const forced = { ...planned, plan: { ...planned.plan, items: planned.plan.items.map((i) => (i === item ? { ...i, action: "rotate" as const, status: "overdue" as const } : i)) } };
    const { outcomes, calls } = await executeNow(h, forced);
    expect(calls.filter((c) => !c.startsWith("GetWorkRequest") && !c.startsWith("ReencryptBucket"))).toEqual(["CreateKeyVersion", "GetKey"]);
    const outcome = volumeItem(outcomes);
    expect(outcome).toMatchObject({ status: "skipped", reason: 'key "backup-volumes-2026-04" is RSA: incompatible key algorithm – AES required', successorKeyId: null });
    expect(outcome.steps.map((s) => [s.operation, s.status])).toEqual([["Preflight", "skipped"]]);
    expect(outcome.resources.filter((r) => r.kind === "volume" || r.kind === "bootvolume").map((r) => r.status)).toEqual(["not-eligible", "not-eligible"]);
    expect(outcomes.find((k) => k.keyId === SEED.bucketKeyId)!.status).toBe("rotated");
    expect(await findRotationSlot(h.deps.store.db, SEED.volumeKeyId, item.slot)).toBeUndefined();
  });
});

describe("resources of one key at the same time (config.rotation.resourceConcurrency)", () => {
  let h: EngineHarness;
  afterEach(async () => h?.close());

  /** The calls about one resource from call `from` on, in the order the simulator saw them. */
  const callsAbout = (from: number, fragment: string) => h.sim.calls.slice(from).filter((c) => c.path.includes(fragment)).map((c) => c.operation);

  it("moves both volumes at once, each still updated before it is read back", async () => {
    h = await startEngine({ rotation: { resourceConcurrency: 2 } });
    // Slow updates: both are in the simulator before either is answered.
    h.sim.faults.set("UpdateVolumeKmsKey", { latencyMs: 200 });
    h.sim.faults.set("UpdateBootVolumeKmsKey", { latencyMs: 200 });
    const planned = await planNow(h);
    const from = h.sim.calls.length;
    const { outcomes, calls } = await executeNow(h, planned, { keyId: SEED.volumeKeyId });
    expect(calls.slice(0, 2)).toEqual(["CreateKey", "GetKey"]);
    expect(calls.slice(2, 4).sort()).toEqual(["UpdateBootVolumeKmsKey", "UpdateVolumeKmsKey"]);
    expect(calls.slice(4).sort()).toEqual(["GetBootVolumeKmsKey", "GetVolumeKmsKey"]);
    expect(callsAbout(from, SEED.volumeId)).toEqual(["UpdateVolumeKmsKey", "GetVolumeKmsKey"]);
    expect(callsAbout(from, SEED.bootVolumeId)).toEqual(["UpdateBootVolumeKmsKey", "GetBootVolumeKmsKey"]);
    const outcome = outcomes.find((k) => k.strategy === "successor-key")!;
    expect(outcome.status).toBe("rotated");
    // Outcomes stay in resource order, whichever volume finished first.
    expect(outcome.resources.map((r) => [r.kind, r.status])).toEqual([["bootvolume", "succeeded"], ["volume", "succeeded"]]);
    const [successor] = successorsOf(h.sim, SEED.volumeKeyId);
    expect(h.sim.state.volumes.get(SEED.volumeId)!.kmsKeyId).toBe(successor!.id);
    expect(h.sim.state.bootVolumes.get(SEED.bootVolumeId)!.kmsKeyId).toBe(successor!.id);
  });

  it("submits both buckets' re-encryptions at once, each recorded and polled after its own ReencryptBucket", async () => {
    h = await startEngine({ rotation: { resourceConcurrency: 2 } });
    h.sim.faults.set("ReencryptBucket", { latencyMs: 200 });
    const { outcomes, calls } = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    expect(calls.slice(0, 2)).toEqual(["CreateKeyVersion", "GetKey"]);
    expect(calls.slice(2, 4).sort()).toEqual(["ReencryptBucket app-backups", "ReencryptBucket db-backups"]);
    for (const bucket of ["app-backups", "db-backups"]) {
      const own = calls.filter((c) => c.endsWith(` ${bucket}`));
      expect(own[0]).toBe(`ReencryptBucket ${bucket}`);
      expect(own.slice(1).every((c) => c === `GetWorkRequest ${bucket}`)).toBe(true);
    }
    const outcome = outcomes.find((k) => k.keyId === SEED.bucketKeyId)!;
    expect(outcome.status).toBe("rotated");
    expect(outcome.resources.map((r) => [r.displayName, r.status])).toEqual([["app-backups", "succeeded"], ["db-backups", "succeeded"]]);
    const steps = await findRotationSteps(h.deps.store.db, { keyId: SEED.bucketKeyId });
    expect(steps.filter((s) => s.operation === "ReencryptBucket").map((s) => s.status)).toEqual(["succeeded", "succeeded"]);
  });
});
