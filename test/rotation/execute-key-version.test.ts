import { afterEach, describe, expect, it } from "vitest";
import { addKeyVersion } from "../../src/sim/kms/add-key-version.js";
import { objectStorageState } from "../../src/sim/objectstorage/object-storage-state.js";
import { acquireRotationLease, findRotationRekeys, findRotationSlot, findRotationSteps, upsertRotationRekey } from "../../src/store/rotation-records.js";
import { rotationRetryToken } from "../../src/rotation/retry-token.js";
import type { KeyRotationOutcome } from "../../src/rotation/rotation-run-result.js";
import { SEED, executeNow, planNow, startEngine, versionsOf, type EngineHarness } from "./execute-harness.js";

const SLOT = `${SEED.bucketKeyId}@${SEED.bucketKeyVersionId}`;

describe("bucket key rotation: CreateKeyVersion → GetKey → ReencryptBucket → work requests", () => {
  let h: EngineHarness;
  afterEach(async () => h?.close());

  const bucketItem = (o: KeyRotationOutcome[]) => o.find((k) => k.keyId === SEED.bucketKeyId)!;

  it("creates one version, verifies it is current, re-encrypts both buckets and waits for COMPLETED", async () => {
    h = await startEngine();
    const before = versionsOf(h.sim, SEED.bucketKeyId).length;
    const { runId, outcomes, calls } = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    // Work requests are first read one poll interval (60 s) after they were submitted: app-backups
    // (310 objects) has finished by then, db-backups (1,240) by the second reading.
    expect(calls).toEqual([
      "CreateKeyVersion", "GetKey",
      "ReencryptBucket app-backups", "ReencryptBucket db-backups",
      "GetWorkRequest app-backups", "GetWorkRequest db-backups",
      "GetWorkRequest db-backups",
    ]);
    const versions = versionsOf(h.sim, SEED.bucketKeyId);
    expect(versions).toHaveLength(before + 1);
    const created = versions.at(-1)!;
    expect(h.sim.state.keys.get(SEED.bucketKeyId)!.currentKeyVersion).toBe(created.id);

    const outcome = bucketItem(outcomes);
    expect(outcome).toMatchObject({ status: "rotated", slot: SLOT, newKeyVersionId: created.id, createdThisRun: true, error: null });
    expect(outcome.resources.map((r) => [r.displayName, r.status])).toEqual([["app-backups", "succeeded"], ["db-backups", "succeeded"]]);
    // Both work requests re-wrapped with the new version.
    const wrs = Object.values(objectStorageState(h.sim.state).workRequests);
    expect(wrs.map((w) => [w.bucketName, w.kmsKeyVersionId])).toEqual([["app-backups", created.id], ["db-backups", created.id]]);

    const slot = await findRotationSlot(h.deps.store.db, SEED.bucketKeyId, SLOT);
    expect(slot).toMatchObject({ status: "completed", newKeyVersionId: created.id, retryToken: rotationRetryToken(SEED.bucketKeyId, SLOT), firstRunId: runId });
    const rekeys = await findRotationRekeys(h.deps.store.db, SEED.bucketKeyId, SLOT);
    expect(rekeys.map((r) => [r.status, r.percentComplete])).toEqual([["succeeded", 100], ["succeeded", 100]]);
    expect(rekeys.map((r) => r.workRequestId).sort()).toEqual(wrs.map((w) => w.id).sort());

    // Every step carries OCI's request id: the same id the simulator answered (and audited).
    const steps = await findRotationSteps(h.deps.store.db, { runId });
    const create = steps.find((s) => s.operation === "CreateKeyVersion")!;
    const served = h.sim.calls.find((c) => c.operation === "CreateKeyVersion")!;
    expect(create).toMatchObject({ status: "succeeded", attempts: 1, opcRequestId: served.requestId, slot: SLOT });
    const reencrypts = steps.filter((s) => s.operation === "ReencryptBucket");
    expect(reencrypts.map((s) => s.workRequestId).sort()).toEqual(wrs.map((w) => w.id).sort());
    expect(steps.filter((s) => s.operation === "GetWorkRequest").map((s) => [s.status, s.attempts])).toEqual([["succeeded", 1], ["succeeded", 2]]);
  });

  it("stops after a failed CreateKeyVersion (no re-encryption), and the rerun resumes the slot with one new version", async () => {
    h = await startEngine();
    const before = versionsOf(h.sim, SEED.bucketKeyId).length;
    h.sim.faults.set("CreateKeyVersion", { kind: "internal-error" });
    const first = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    // Two attempts of the retry layer, then nothing: no bucket is re-encrypted under an old version.
    expect(first.calls).toEqual(["CreateKeyVersion", "CreateKeyVersion"]);
    const failed = bucketItem(first.outcomes);
    expect(failed).toMatchObject({ status: "failed", newKeyVersionId: null, createdThisRun: false, error: { operation: "CreateKeyVersion", statusCode: 500, attempts: 2, reason: "server-error" } });
    expect(failed.resources.map((r) => r.status)).toEqual(["skipped", "skipped"]);
    expect(await findRotationSlot(h.deps.store.db, SEED.bucketKeyId, SLOT)).toMatchObject({ status: "failed", newKeyVersionId: null });
    expect(versionsOf(h.sim, SEED.bucketKeyId)).toHaveLength(before);

    h.sim.faults.clear();
    const second = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    // Resume reads the key first: its version is still the slot's, so the version is created now.
    expect(second.calls.slice(0, 5)).toEqual(["GetKey", "CreateKeyVersion", "GetKey", "ReencryptBucket app-backups", "ReencryptBucket db-backups"]);
    expect(bucketItem(second.outcomes)).toMatchObject({ status: "rotated", slot: SLOT, createdThisRun: true });
    expect(versionsOf(h.sim, SEED.bucketKeyId)).toHaveLength(before + 1);
  });

  it("treats a CreateKeyVersion answered 200 but not applied as a failure: GetKey shows another current version, nothing is re-encrypted", async () => {
    h = await startEngine();
    const before = versionsOf(h.sim, SEED.bucketKeyId).map((v) => v.id);
    h.sim.faults.set("CreateKeyVersion", { kind: "not-applied", times: 1 });
    const first = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    expect(first.calls).toEqual(["CreateKeyVersion", "GetKey"]);
    const failed = bucketItem(first.outcomes);
    expect(failed.status).toBe("failed");
    expect(failed.createdThisRun).toBe(false);
    expect(failed.error?.message).toContain(`GetKey shows ${SEED.bucketKeyVersionId} as the current version`);
    expect(versionsOf(h.sim, SEED.bucketKeyId).map((v) => v.id)).toEqual(before);
    // OCI would replay the phantom answer for the same token: the slot moves to a new token.
    const slot = await findRotationSlot(h.deps.store.db, SEED.bucketKeyId, SLOT);
    expect(slot).toMatchObject({ status: "failed", newKeyVersionId: null });
    expect(slot!.retryToken).not.toBe(rotationRetryToken(SEED.bucketKeyId, SLOT));

    const second = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    expect(second.calls.slice(0, 4)).toEqual(["GetKey", "CreateKeyVersion", "GetKey", "ReencryptBucket app-backups"]);
    expect(bucketItem(second.outcomes).status).toBe("rotated");
    expect(versionsOf(h.sim, SEED.bucketKeyId)).toHaveLength(before.length + 1);
  });

  it("stops when GetKey shows a version it did not create (a concurrent rotation); the rerun adopts the current version", async () => {
    h = await startEngine();
    const before = versionsOf(h.sim, SEED.bucketKeyId).length;
    // GetKey is answered 300 ms late; meanwhile someone else rotates the key.
    const planned = await planNow(h);
    h.sim.faults.set("GetKey", { latencyMs: 300 });
    const running = executeNow(h, planned, { keyId: SEED.bucketKeyId });
    while (!h.sim.calls.some((c) => c.operation === "CreateKeyVersion" && c.status === 200)) await new Promise((r) => setTimeout(r, 5));
    while (h.sim.calls.at(-1)!.operation !== "GetKey") await new Promise((r) => setTimeout(r, 5));
    const other = addKeyVersion(h.sim.state, h.sim.state.keys.get(SEED.bucketKeyId)!, h.sim.clock.now().toISOString(), false).id;
    const first = await running;
    h.sim.faults.clear();
    expect(first.calls).toEqual(["CreateKeyVersion", "GetKey"]);
    const failed = bucketItem(first.outcomes);
    expect(failed).toMatchObject({ status: "failed", createdThisRun: true });
    expect(failed.error?.message).toContain(`GetKey shows ${other} as the current version, not ${failed.newKeyVersionId}`);

    const second = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    expect(second.calls.slice(0, 3)).toEqual(["GetKey", "ReencryptBucket app-backups", "ReencryptBucket db-backups"]);
    expect(bucketItem(second.outcomes)).toMatchObject({ status: "rekeyed", slot: SLOT, newKeyVersionId: other, createdThisRun: false });
    expect(bucketItem(second.outcomes).steps.map((s) => s.operation)).toContain("AdoptKeyVersion");
    // Ours and the other one: nothing more.
    expect(versionsOf(h.sim, SEED.bucketKeyId)).toHaveLength(before + 2);
  });

  it("re-encrypts the other bucket when one ReencryptBucket fails; the rerun re-encrypts only the failed one (rule 9)", async () => {
    h = await startEngine();
    // Refused (429: nothing started), so retried by the retry layer; faults whose outcome is
    // unknown are in faults-rekeys.test.ts.
    h.sim.faults.set("ReencryptBucket", { kind: "throttle", times: 2 });
    const first = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    expect(first.calls).toEqual([
      "CreateKeyVersion", "GetKey",
      "ReencryptBucket app-backups", "ReencryptBucket app-backups", "ReencryptBucket db-backups",
      "GetWorkRequest db-backups", "GetWorkRequest db-backups",
    ]);
    const partial = bucketItem(first.outcomes);
    expect(partial.status).toBe("partial");
    expect(partial.resources.map((r) => [r.displayName, r.status])).toEqual([["app-backups", "failed"], ["db-backups", "succeeded"]]);
    expect(partial.resources[0]!.error).toMatchObject({ operation: "ReencryptBucket", statusCode: 429, attempts: 2 });
    const steps = await findRotationSteps(h.deps.store.db, { runId: first.runId });
    expect(steps.filter((s) => s.operation === "ReencryptBucket").map((s) => [s.status, s.attempts, s.error !== null])).toEqual([["failed", 2, true], ["succeeded", 1, false]]);
    expect(await findRotationSlot(h.deps.store.db, SEED.bucketKeyId, SLOT)).toMatchObject({ status: "rotated" });
    const version = partial.newKeyVersionId;

    // The new version is current now, so the plan says "not due": the open slot is resumed anyway.
    const second = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    expect(second.calls).toEqual(["GetKey", "ReencryptBucket app-backups", "GetWorkRequest app-backups"]);
    const resumed = bucketItem(second.outcomes);
    expect(resumed).toMatchObject({ status: "rekeyed", slot: SLOT, newKeyVersionId: version, createdThisRun: false });
    expect(resumed.resources.map((r) => [r.displayName, r.status])).toEqual([["app-backups", "succeeded"], ["db-backups", "skipped"]]);
    expect(await findRotationSlot(h.deps.store.db, SEED.bucketKeyId, SLOT)).toMatchObject({ status: "completed" });
    const reencrypts = Object.values(objectStorageState(h.sim.state).workRequests).map((w) => w.bucketName);
    expect(reencrypts.sort()).toEqual(["app-backups", "db-backups"]);
  });

  it("records a FAILED work request with its errors; the other bucket completes", async () => {
    h = await startEngine();
    h.sim.faults.set("ReencryptBucket", { workRequest: "fail", times: 1 });
    const { outcomes, calls } = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    expect(calls).toEqual([
      "CreateKeyVersion", "GetKey", "ReencryptBucket app-backups", "ReencryptBucket db-backups",
      "GetWorkRequest app-backups", "ListWorkRequestErrors app-backups", "GetWorkRequest db-backups",
      "GetWorkRequest db-backups",
    ]);
    const outcome = bucketItem(outcomes);
    expect(outcome.status).toBe("partial");
    const [app, db] = outcome.resources;
    expect(app).toMatchObject({ displayName: "app-backups", status: "failed", operation: "ReencryptBucket" });
    expect(app!.error!.message).toMatch(/ended FAILED at 50%: InternalServerError: Re-encryption of bucket app-backups failed at 50%/);
    expect(db).toMatchObject({ displayName: "db-backups", status: "succeeded" });
    const rekeys = await findRotationRekeys(h.deps.store.db, SEED.bucketKeyId, SLOT);
    expect(rekeys.find((r) => r.workRequestId === app!.workRequestId)).toMatchObject({ status: "failed", percentComplete: 50 });
  });

  it("reports a stalled work request as in progress with percent, id and start time (B17), and the rerun polls it instead of re-encrypting again", async () => {
    h = await startEngine({ rotation: { workRequestMaxWaitMs: 120_000 } });
    h.sim.faults.set("ReencryptBucket", { workRequest: "stall" });
    const first = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    expect(first.calls).toEqual([
      "CreateKeyVersion", "GetKey", "ReencryptBucket app-backups", "ReencryptBucket db-backups",
      "GetWorkRequest app-backups", "GetWorkRequest db-backups",
      "GetWorkRequest app-backups", "GetWorkRequest db-backups",
    ]);
    const outcome = bucketItem(first.outcomes);
    expect(outcome.status).toBe("partial");
    const wrs = objectStorageState(h.sim.state).workRequests;
    const app = Object.values(wrs).find((w) => w.bucketName === "app-backups")!;
    const startedAt = new Date(Date.parse(app.timeAccepted) + 1_000).toISOString();
    expect(outcome.resources[0]).toMatchObject({
      displayName: "app-backups", status: "in-progress", workRequestId: app.id,
      detail: `in progress, 50%, work request ${app.id}, started at ${startedAt}`,
    });
    const rekeys = await findRotationRekeys(h.deps.store.db, SEED.bucketKeyId, SLOT);
    expect(rekeys.map((r) => [r.status, r.percentComplete])).toEqual([["in-progress", 50], ["in-progress", 50]]);

    const second = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    expect(second.calls.filter((c) => c.startsWith("ReencryptBucket") || c === "CreateKeyVersion")).toEqual([]);
    expect(second.calls.slice(0, 3)).toEqual(["GetKey", "GetWorkRequest app-backups", "GetWorkRequest db-backups"]);
    expect(bucketItem(second.outcomes).resources.map((r) => [r.status, r.workRequestId])).toEqual(
      first.outcomes.find((k) => k.keyId === SEED.bucketKeyId)!.resources.map((r) => ["in-progress", r.workRequestId]),
    );
    expect(Object.keys(wrs)).toHaveLength(2);
  });

  it("supersedes a slot left in progress when the key is due again: the new slot re-encrypts every bucket under the newest version", async () => {
    h = await startEngine({ rotation: { workRequestMaxWaitMs: 180_000 } });
    h.sim.faults.set("ReencryptBucket", { workRequest: "stall" });
    const first = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    expect(bucketItem(first.outcomes).status).toBe("partial");
    const v1 = bucketItem(first.outcomes).newKeyVersionId!;

    h.sim.faults.clear();
    h.sim.clock.advance(91 * 86_400_000);
    const planned = await planNow(h);
    const item = planned.plan.items.find((i) => i.keyId === SEED.bucketKeyId)!;
    expect(item).toMatchObject({ action: "rotate", slot: `${SEED.bucketKeyId}@${v1}` });
    const second = await executeNow(h, planned, { keyId: SEED.bucketKeyId });
    expect(second.calls.slice(0, 4)).toEqual(["CreateKeyVersion", "GetKey", "ReencryptBucket app-backups", "ReencryptBucket db-backups"]);
    const outcome = bucketItem(second.outcomes);
    expect(outcome).toMatchObject({ status: "rotated", slot: item.slot });
    expect(outcome.steps.map((s) => s.operation)[0]).toBe("SupersedeSlot");
    expect(await findRotationSlot(h.deps.store.db, SEED.bucketKeyId, SLOT)).toMatchObject({ status: "superseded" });
    expect(await findRotationSlot(h.deps.store.db, SEED.bucketKeyId, item.slot)).toMatchObject({ status: "completed", newKeyVersionId: outcome.newKeyVersionId });

    // The superseded slot is not resumed again.
    const third = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    expect(third.calls).toEqual([]);
    expect(bucketItem(third.outcomes).status).toBe("not-due");
  });
});

describe("a ReencryptBucket in flight when the process died (no retry token): the rerun adopts its work request", () => {
  let h: EngineHarness;
  afterEach(async () => h?.close());

  const bucketItem = (o: KeyRotationOutcome[]) => o.find((k) => k.keyId === SEED.bucketKeyId)!;
  const reencryptsOf = (bucket: string) => h.sim.calls.filter((c) => c.operation === "ReencryptBucket" && c.path.includes(`/b/${bucket}/`));
  const killed = new Error("killed: the process died here");

  it("finds the work request the lost call started with ListWorkRequests and polls it: one ReencryptBucket per bucket", async () => {
    h = await startEngine();
    // The process dies the moment OCI answered app-backups' ReencryptBucket, before anything of the answer is recorded.
    const first = executeNow(h, await planNow(h), {
      keyId: SEED.bucketKeyId,
      afterStep: (e) => {
        if (e.operation === "ReencryptBucketAnswered") throw killed;
      },
    });
    await expect(first).rejects.toBe(killed);
    const [lost] = Object.values(objectStorageState(h.sim.state).workRequests);
    expect(lost).toMatchObject({ bucketName: "app-backups" });
    expect((await findRotationRekeys(h.deps.store.db, SEED.bucketKeyId, SLOT)).map((r) => [r.status, r.workRequestId])).toEqual([["pending", null]]);

    const second = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    // ORDER: the lookup comes before any ReencryptBucket; the adopted request is read at once, the new one a poll interval later.
    expect(second.calls).toEqual([
      "GetKey", "ListWorkRequests", "ReencryptBucket db-backups",
      "GetWorkRequest app-backups",
      "GetWorkRequest app-backups", "GetWorkRequest db-backups",
      "GetWorkRequest db-backups",
    ]);
    expect(reencryptsOf("app-backups")).toHaveLength(1);
    expect(reencryptsOf("db-backups")).toHaveLength(1);
    const outcome = bucketItem(second.outcomes);
    expect(outcome).toMatchObject({ status: "rekeyed", slot: SLOT, createdThisRun: false });
    expect(outcome.resources.map((r) => [r.displayName, r.status, r.workRequestId])).toEqual([
      ["app-backups", "succeeded", lost!.id], ["db-backups", "succeeded", expect.any(String)],
    ]);
    const steps = await findRotationSteps(h.deps.store.db, { runId: second.runId });
    expect(steps.find((s) => s.operation === "AdoptWorkRequest")).toMatchObject({ status: "succeeded", workRequestId: lost!.id });
    expect(steps.find((s) => s.operation === "ListWorkRequests")!.detail).toMatchObject({ found: [lost!.id], acceptedSince: versionsOf(h.sim, SEED.bucketKeyId).at(-1)!.timeCreated });
    expect(await findRotationSlot(h.deps.store.db, SEED.bucketKeyId, SLOT)).toMatchObject({ status: "completed" });
  });

  it("never adopts a FAILED work request of the bucket: after a send whose outcome is unknown it sends again (one live re-encryption)", async () => {
    h = await startEngine();
    // Run 1: app-backups' re-encryption FAILED (recorded failed, with its id).
    h.sim.faults.set("ReencryptBucket", { workRequest: "fail", times: 1 });
    const first = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    expect(bucketItem(first.outcomes).resources.map((r) => [r.displayName, r.status])).toEqual([["app-backups", "failed"], ["db-backups", "succeeded"]]);
    const [failed] = Object.values(objectStorageState(h.sim.state).workRequests);
    // Run 2: the re-send is reset before OCI saw it; ListWorkRequests lists only the FAILED one.
    h.sim.faults.set("ReencryptBucket", { kind: "reset", times: 1 });
    const second = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    expect(second.calls.filter((c) => !c.startsWith("GetWorkRequest"))).toEqual(["GetKey", "ReencryptBucket app-backups", "ListWorkRequests", "ReencryptBucket app-backups"]);
    const steps = await findRotationSteps(h.deps.store.db, { runId: second.runId });
    expect(steps.find((s) => s.operation === "ListWorkRequests")!.detail).toMatchObject({ found: [failed!.id], adoptable: [] });
    expect(steps.some((s) => s.operation === "AdoptWorkRequest")).toBe(false);
    const app = bucketItem(second.outcomes).resources[0]!;
    expect(app).toMatchObject({ displayName: "app-backups", status: "succeeded" });
    expect(app.workRequestId).not.toBe(failed!.id);
    expect(reencryptsOf("app-backups").filter((c) => c.status === 202)).toHaveLength(2);
  });

  it("re-encrypts a pending bucket when OCI has no work request of it since the new version (the call never arrived), ignoring older ones", async () => {
    h = await startEngine();
    // An older re-encryption of app-backups, under the version before the rotation: not the lost call's.
    const older = await h.ports.objectStorage.reencryptBucket(h.sim.state.tenancy.namespace, "app-backups");
    h.sim.clock.advance(1_000);
    // The process dies after the new version was verified current, having recorded app-backups "pending" only.
    const first = executeNow(h, await planNow(h), {
      keyId: SEED.bucketKeyId,
      afterStep: (e) => {
        if (e.operation === "GetKey") throw killed;
      },
    });
    await expect(first).rejects.toBe(killed);
    const app = (await planNow(h)).inventory.resources.find((r) => r.displayName === "app-backups")!;
    // Written as the dead run did: under its lease (executeNow's holder), released since.
    const now = h.sim.clock.now().toISOString();
    await acquireRotationLease(h.deps.store.db, { keyId: SEED.bucketKeyId, holder: "test-holder", runId: 1, now, expiresAt: now });
    expect(await upsertRotationRekey(h.deps.store.db, {
      keyId: SEED.bucketKeyId, slot: SLOT, resourceId: app.id, resourceKind: "bucket", status: "pending", workRequestId: null,
      percentComplete: null, detail: null, updatedAt: now,
    }, { keyId: SEED.bucketKeyId, holder: "test-holder" })).toBe(true);

    const second = await executeNow(h, await planNow(h), { keyId: SEED.bucketKeyId });
    expect(second.calls.slice(0, 4)).toEqual(["GetKey", "ListWorkRequests", "ReencryptBucket app-backups", "ReencryptBucket db-backups"]);
    const steps = await findRotationSteps(h.deps.store.db, { runId: second.runId });
    expect(steps.find((s) => s.operation === "ListWorkRequests")!.detail).toMatchObject({ found: [] });
    expect(steps.some((s) => s.operation === "AdoptWorkRequest")).toBe(false);
    const outcome = bucketItem(second.outcomes);
    expect(outcome.resources.map((r) => [r.displayName, r.status])).toEqual([["app-backups", "succeeded"], ["db-backups", "succeeded"]]);
    expect(outcome.resources[0]!.workRequestId).not.toBe(older.workRequestId);
    // Re-wrapped under the new version, not by the older request.
    const wrs = objectStorageState(h.sim.state).workRequests;
    expect(wrs[outcome.resources[0]!.workRequestId!]!.kmsKeyVersionId).toBe(versionsOf(h.sim, SEED.bucketKeyId).at(-1)!.id);
  });
});
