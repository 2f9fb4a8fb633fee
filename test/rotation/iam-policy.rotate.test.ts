/**
 * A full `rotate()` as a principal whose simulator allow list is exactly the rotator's policy
 * operations (issue 4 §7: "a test runs the engine with exactly those permissions ... and proves it
 * is enough"), and with one operation taken away: the run then fails cleanly, with the refusal
 * recorded and nothing half-done on the other key.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Config } from "../../src/app/config.js";
import { silentLogger } from "../../src/app/logger.js";
import { buildIamPolicy } from "../../src/rotation/iam-policy.js";
import { rotate } from "../../src/rotation/rotate.js";
import { createSimClock } from "../../src/sim/sim-clock.js";
import { startSimulator, type Simulator } from "../../src/sim/start-simulator.js";
import { findRotationRunById, findRotationSteps } from "../../src/store/rotation-records.js";
import { createTestStore, type TestStore } from "../helpers/db.js";
import { portsFor } from "../helpers/oci-ports.js";
import { EXAMPLE, exampleSeed, generatedUser } from "../helpers/sim.js";

const NOW = "2026-10-06T02:00:00.000Z"; // bucket key due, volume key overdue (execute-harness.ts)
const TOPIC = exampleSeed().topics![0]!;
const SEED = exampleSeed();
const BOOT_VOLUME_ID = SEED.bootVolumes![0]!.id;
const VOLUME_ID = SEED.volumes![0]!.id;

function engineConfig(dir: string) {
  return Config.parse({
    database: dir,
    scope: { compartments: [EXAMPLE.securityId, EXAMPLE.backupProdId] },
    signals: { topicId: TOPIC.id, metricsCompartmentId: EXAMPLE.securityId },
    rotation: { workRequestPollMs: 60_000, workRequestMaxWaitMs: 600_000 },
  });
}

interface Run {
  sim: Simulator;
  store: TestStore;
  close(): Promise<void>;
}

/** A simulator whose only user for the engine may call exactly `operations`, and rotate() signed as it. */
async function rotateAs(operations: readonly string[]) {
  const user = generatedUser("least-privilege", { allowedOperations: [...operations] });
  const seed = exampleSeed();
  seed.users.push(user.seedUser);
  const sim = await startSimulator({ seed, clock: createSimClock({ start: NOW }), writeLimits: { "kms-mgmt": null }, maxClockSkewMs: Number.POSITIVE_INFINITY });
  const store = await createTestStore("sqlite");
  const ports = portsFor(sim, { userId: user.seedUser.id, privateKeyPem: user.privateKey, retry: { maxAttempts: 2 } });
  const config = engineConfig(store.dir);
  const run: Run = {
    sim, store,
    async close() {
      ports.close();
      await sim.close();
      await store.cleanup();
    },
  };
  const result = await rotate({ config, store: store.store, logger: silentLogger(), clock: sim.clock, oci: ports, sleep: async (ms) => sim.clock.advance(ms) }, { trigger: "test" });
  return { run, result };
}

const ROTATOR_OPERATIONS = buildIamPolicy(engineConfig("/unused")).rotator.operations;

describe("rotate() with exactly the rotator's IAM policy", () => {
  let run: Run | undefined;
  afterEach(async () => {
    await run?.close();
    run = undefined;
  });

  it("is enough: both strategies rotate, every resource is re-keyed, metrics are posted, and OCI refused nothing", async () => {
    const out = await rotateAs(ROTATOR_OPERATIONS);
    run = out.run;
    const { result } = out;
    expect(result.error).toBeNull();
    expect(result.status).toBe("succeeded");
    expect(result.keys.map((k) => [k.keyName, k.status]).sort()).toEqual([["backup-objects-key", "rotated"], ["backup-volumes-2026-04", "rotated"]]);
    expect(result.keys.flatMap((k) => k.resources).map((r) => [r.displayName, r.status]).sort()).toEqual([
      ["app-backups", "succeeded"], ["db-backups", "succeeded"], ["pg-data-vol", "succeeded"], ["pg-primary (Boot Volume)", "succeeded"],
    ]);
    const calls = run.sim.calls.filter((c) => c.principal === "least-privilege");
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.filter((c) => c.status >= 400)).toEqual([]);
    for (const op of new Set(calls.map((c) => c.operation))) expect(ROTATOR_OPERATIONS).toContain(op);
    expect(run.sim.metrics.find((m) => m.name === "RotationsSucceeded")!.datapoints[0]!.value).toBe(2);
    expect(run.sim.messages).toEqual([]); // nothing failed: no alert
  });

  it("without CreateKeyVersion: the bucket key fails with the refusal recorded, no bucket is touched, the volume key still rotates", async () => {
    const out = await rotateAs(ROTATOR_OPERATIONS.filter((op) => op !== "CreateKeyVersion"));
    run = out.run;
    const { result } = out;
    expect(result.status).toBe("partial");
    const bucketKey = result.keys.find((k) => k.keyId === EXAMPLE.bucketKey.id)!;
    expect(bucketKey).toMatchObject({ status: "failed", createdThisRun: false, newKeyVersionId: null });
    expect(bucketKey.error).toMatchObject({ operation: "CreateKeyVersion", statusCode: 404, serviceCode: "NotAuthorizedOrNotFound", reason: "not-authorized-or-not-found", attempts: 1 });
    expect(run.sim.calls.filter((c) => c.operation === "ReencryptBucket")).toEqual([]);
    expect(run.sim.calls.filter((c) => c.operation === "CreateKeyVersion").map((c) => c.status)).toEqual([404]);
    expect(result.keys.find((k) => k.keyId === EXAMPLE.volumeKey.id)).toMatchObject({ status: "rotated", createdThisRun: true });

    const runRow = await findRotationRunById(run.store.store.db, result.runId);
    expect(runRow).toMatchObject({ status: "partial", finishedAt: result.finishedAt });
    const steps = await findRotationSteps(run.store.store.db, { runId: result.runId });
    expect(steps.every((s) => s.status !== "running" && s.finishedAt !== null)).toBe(true);
    expect(steps.find((s) => s.operation === "CreateKeyVersion")).toMatchObject({ status: "failed", opcRequestId: run.sim.calls.find((c) => c.operation === "CreateKeyVersion")!.requestId });
    // The alert names the refused call and its opc-request-id.
    expect(run.sim.messages).toHaveLength(1);
    expect(run.sim.messages[0]!.body).toContain("1. CreateKeyVersion failed\n   key: backup-objects-key");
    expect(run.sim.messages[0]!.body).toContain("404 NotAuthorizedOrNotFound");
  });

  it("without UpdateBootVolumeKmsKey: the boot volume stays on its key and is reported failed; the data volume moves; the predecessor key stays ENABLED", async () => {
    const out = await rotateAs(ROTATOR_OPERATIONS.filter((op) => op !== "UpdateBootVolumeKmsKey"));
    run = out.run;
    const { result } = out;
    expect(result.status).toBe("partial");
    const volumeKey = result.keys.find((k) => k.keyId === EXAMPLE.volumeKey.id)!;
    expect(volumeKey.status).toBe("partial");
    const boot = volumeKey.resources.find((r) => r.resourceId === BOOT_VOLUME_ID)!;
    expect(boot).toMatchObject({ status: "failed", error: { operation: "UpdateBootVolumeKmsKey", statusCode: 404, serviceCode: "NotAuthorizedOrNotFound" } });
    expect(volumeKey.resources.find((r) => r.resourceId === VOLUME_ID)).toMatchObject({ status: "succeeded" });
    expect(run.sim.state.bootVolumes.get(BOOT_VOLUME_ID)!.kmsKeyId).toBe(EXAMPLE.volumeKey.id);
    expect(run.sim.state.volumes.get(VOLUME_ID)!.kmsKeyId).toBe(volumeKey.successorKeyId);
    expect(run.sim.state.keys.get(EXAMPLE.volumeKey.id)!.lifecycleState).toBe("ENABLED");
    expect(result.keys.find((k) => k.keyId === EXAMPLE.bucketKey.id)!.status).toBe("rotated");
    expect(run.sim.messages[0]!.body).toContain("UpdateBootVolumeKmsKey failed");
  });
});
