/**
 * The rotation engine against a fresh simulator and a fresh migrated store per test: the example
 * tenancy on a simulator clock the engine shares (its sleeps move that clock, so work requests
 * progress deterministically), the real OciPorts (test/helpers/oci-ports.ts: instant retry sleeps),
 * and the calls the simulator saw, named `Operation target` for sequence assertions.
 */
import { Config } from "../../src/app/config.js";
import { silentLogger } from "../../src/app/logger.js";
import type { OciPorts } from "../../src/oci/oci-ports.js";
import { collectInventory } from "../../src/rotation/collect-inventory.js";
import { executePlan } from "../../src/rotation/execute-plan.js";
import type { Inventory } from "../../src/rotation/inventory.js";
import { planRotation } from "../../src/rotation/plan-rotation.js";
import type { RotateDeps } from "../../src/rotation/rotate.js";
import type { RotationPlan } from "../../src/rotation/rotation-plan.js";
import type { KeyRotationOutcome } from "../../src/rotation/rotation-run-result.js";
import type { StepEvent } from "../../src/rotation/rotation-step.js";
import { objectStorageState } from "../../src/sim/objectstorage/object-storage-state.js";
import type { TenancySeedInput } from "../../src/sim/seed/tenancy-seed.js";
import { createSimClock } from "../../src/sim/sim-clock.js";
import { startSimulator, type Simulator } from "../../src/sim/start-simulator.js";
import { insertRotationRun } from "../../src/store/rotation-records.js";
import { createTestStore, type TestDialect, type TestStore } from "../helpers/db.js";
import { portsFor } from "../helpers/oci-ports.js";
import { exampleSeed } from "../helpers/sim.js";

/** Engine time of the tests: the bucket key's current version (2026-07-08T02:00:03.737Z) is 89 days old (due), the volume key's overdue. */
export const ENGINE_NOW = "2026-10-06T02:00:00.000Z";

export const SEED = (() => {
  const seed = exampleSeed();
  const key = (name: string) => seed.keys.find((k) => k.displayName === name)!;
  return {
    bucketKeyId: key("backup-objects-key").id,
    bucketKeyVersionId: key("backup-objects-key").versions!.at(-1)!.id,
    volumeKeyId: key("backup-volumes-2026-04").id,
    signingKeyId: key("keyproof-manifest-signing").id,
    volumeId: seed.volumes![0]!.id,
    bootVolumeId: seed.bootVolumes![0]!.id,
    volumeBackupId: seed.volumeBackups![0]!.id,
  };
})();

export interface EngineHarness {
  sim: Simulator;
  ports: OciPorts;
  testStore: TestStore;
  deps: RotateDeps;
  /** Operations the simulator served from call index `from` on, as `Operation target`. */
  callsSince(from: number): string[];
  close(): Promise<void>;
}

export interface EngineOptions {
  changeSeed?: (seed: TenancySeedInput & ReturnType<typeof exampleSeed>) => void;
  /**
   * config.rotation overrides (default: poll every 60 s, wait at most 10 min, lease 15 min, and one
   * resource of a key at a time, so the simulator sees one deterministic call sequence).
   */
  rotation?: Record<string, unknown>;
  /**
   * Attempts per OCI call of the retry layer, and sends of a write whose outcome is unknown
   * (config.rotation.retry.maxAttempts) (default 2, so a failing call is two calls).
   */
  maxAttempts?: number;
  dialect?: TestDialect;
}

/** Starts a simulator at ENGINE_NOW, a store, the ports and the engine's deps. */
export async function startEngine(options: EngineOptions = {}): Promise<EngineHarness> {
  const seed = exampleSeed();
  options.changeSeed?.(seed);
  const sim = await startSimulator({
    seed, clock: createSimClock({ start: ENGINE_NOW }), writeLimits: { "kms-mgmt": null }, maxClockSkewMs: Number.POSITIVE_INFINITY,
  });
  const testStore = await createTestStore(options.dialect ?? "sqlite");
  const ports = portsFor(sim, { retry: { maxAttempts: options.maxAttempts ?? 2 } });
  const config = Config.parse({
    database: testStore.dir,
    // The engine bounds its re-sends of a write whose outcome is unknown by retry.maxAttempts (as
    // the ports') and retry.maxTotalMs on the engine's clock: here the simulator clock, which
    // another key's work request polls move by minutes at a time, hence an hour.
    rotation: {
      workRequestPollMs: 60_000, workRequestMaxWaitMs: 600_000, resourceConcurrency: 1,
      retry: { maxAttempts: options.maxAttempts ?? 2, maxTotalMs: 3_600_000 }, ...options.rotation,
    },
  });
  const deps: RotateDeps = {
    config, store: testStore.store, logger: silentLogger(), clock: sim.clock, oci: ports,
    // The engine's waits move the simulator clock: work requests progress as if the time passed.
    sleep: async (ms) => sim.clock.advance(ms),
  };
  return {
    sim, ports, testStore, deps,
    callsSince: (from) => sim.calls.slice(from).map((c) => describeCall(sim, c.operation, c.path)),
    async close() {
      ports.close();
      await sim.close();
      await testStore.cleanup();
    },
  };
}

function describeCall(sim: Simulator, operation: string, path: string): string {
  const bucket = /\/b\/([^/?]+)/.exec(path)?.[1];
  if (bucket) return `${operation} ${decodeURIComponent(bucket)}`;
  const wr = /\/workRequests\/([^/?]+)/.exec(path)?.[1];
  if (wr) return `${operation} ${objectStorageState(sim.state).workRequests[decodeURIComponent(wr)]?.bucketName ?? wr}`;
  return operation;
}

/** Inventory and plan as of the simulator's now (what rotate() does first). */
export async function planNow(h: EngineHarness): Promise<{ inventory: Inventory; plan: RotationPlan }> {
  const now = h.sim.clock.now().toISOString();
  const inventory = await collectInventory(h.ports, { scope: h.deps.config.scope, now });
  return { inventory, plan: planRotation(inventory, h.deps.config.policy, h.deps.config.rotation, now) };
}

/** Executes `plan` as one run (a rotation_run row, then executePlan) and returns the outcomes and the calls it made. */
export async function executeNow(
  h: EngineHarness,
  planned: { inventory: Inventory; plan: RotationPlan },
  options: { keyId?: string; holder?: string; afterStep?: (event: StepEvent) => void } = {},
): Promise<{ runId: number; outcomes: KeyRotationOutcome[]; calls: string[] }> {
  const from = h.sim.calls.length;
  const holder = options.holder ?? "test-holder";
  const runId = await insertRotationRun(h.deps.store.db, {
    startedAt: h.sim.clock.now().toISOString(), trigger: "test", dryRun: false, holder, keyFilter: options.keyId ?? null,
  });
  const outcomes = await executePlan(
    {
      db: h.deps.store.db, oci: h.ports, clock: h.deps.clock, logger: h.deps.logger, config: h.deps.config, sleep: h.deps.sleep!,
      ...(options.afterStep ? { afterStep: options.afterStep } : {}),
    },
    { runId, holder, ...planned, keyId: options.keyId ?? null, concurrency: 1 },
  );
  return { runId, outcomes, calls: h.callsSince(from) };
}

/** Versions of a key in the simulator, oldest first. */
export function versionsOf(sim: Simulator, keyId: string) {
  return [...sim.state.keyVersions.values()].filter((v) => v.keyId === keyId).sort((a, b) => (a.timeCreated < b.timeCreated ? -1 : 1));
}

/** Keys in the simulator naming `keyId` as predecessor. */
export function successorsOf(sim: Simulator, keyId: string) {
  return [...sim.state.keys.values()].filter((k) => (k.freeformTags as Record<string, string>).predecessor === keyId);
}
