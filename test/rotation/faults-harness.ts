/**
 * The fault matrix of issue 4 at the `rotate()` level: the example tenancy at ENGINE_NOW (the
 * bucket key backup-objects-key due, the volume lineage of backup-volumes-2026-04 overdue) on the
 * execute harness (execute-harness.ts), with fast retries: 2 attempts per call, backoff sleeps
 * instant (test/helpers/oci-ports.ts), and a short attempt timeout where a call hangs.
 *
 * "Applied" writes are read from what the simulator served (`sim.calls`): answered 2xx with no
 * injected fault. A reset or hung call never reaches the handler (unless its rule says
 * `after: "applied"`), and a "not-applied" call is answered 200 and rolled back, so neither changes
 * anything.
 */
import type { SimCall } from "../../src/sim/serve-operation.js";
import type { FaultRule } from "../../src/sim/faults/fault-injector.js";
import { objectStorageState } from "../../src/sim/objectstorage/object-storage-state.js";
import { workRequestView } from "../../src/sim/objectstorage/work-request-status.js";
import { instantRetryRuntime, portsFor, TEST_RETRY } from "../helpers/oci-ports.js";
import { SEED, startEngine, successorsOf, versionsOf, type EngineHarness, type EngineOptions } from "./execute-harness.js";

/** Attempts per OCI call in these tests: a fault that never clears is seen exactly this often per call. */
export const ATTEMPTS = 2;

/**
 * Per-attempt timeout of the cases with a hung call, so each hang costs this much wall time (a
 * healthy loopback call takes a few ms). The other cases keep TEST_RETRY's 2 s: a write answered
 * after its attempt timed out would be sent again, which these tests would count as a duplicate.
 */
export const HANG_TIMEOUT_MS = 300;

/** The attempt timeout for a case injecting `kind`. */
export function attemptTimeoutFor(kind: string): number {
  return kind === "hang" ? HANG_TIMEOUT_MS : TEST_RETRY.timeoutMs;
}

/**
 * The simulator's fault kinds that end a call with an error, and the retry layer's reason for each.
 * `outcomeUnknown`: the client cannot tell whether OCI applied the call (a 5xx, a lost connection, a
 * timeout), so a write without a retry token is not re-sent blindly (with-retry.ts NOT_SAFE_TO_REPEAT).
 */
export const ERROR_FAULTS = [
  { kind: "throttle", reason: "throttled", statusCode: 429, answered: true, outcomeUnknown: false },
  { kind: "internal-error", reason: "server-error", statusCode: 500, answered: true, outcomeUnknown: true },
  { kind: "reset", reason: "network", statusCode: null, answered: false, outcomeUnknown: true },
  { kind: "hang", reason: "timeout", statusCode: null, answered: false, outcomeUnknown: true },
] as const satisfies readonly { kind: FaultRule["kind"]; reason: string; statusCode: number | null; answered: boolean; outcomeUnknown: boolean }[];

/** The fault kinds that can strike after the simulator applied a call (FaultRule.after "applied"). */
export const LOST_ANSWER_FAULTS = ERROR_FAULTS.filter((f) => f.outcomeUnknown);

/** The in-scope buckets of backup-objects-key in the example tenancy, in the order the engine re-encrypts them. */
export const BUCKETS = ["app-backups", "db-backups"] as const;

/** The ReencryptBucket work requests started so far, in BUCKETS order (buckets may be re-encrypted concurrently). */
export function workRequestsInBucketOrder(h: EngineHarness) {
  const all = Object.values(objectStorageState(h.sim.state).workRequests);
  return BUCKETS.flatMap((b) => all.filter((w) => w.bucketName === b));
}

export interface FaultHarness extends EngineHarness {
  /** Counts what was applied per operation (see the file comment). */
  applied(operation: string): number;
  /** Calls of `operation` served so far. */
  callsOf(operation: string): SimCall[];
  /** Every backoff the retry layer asked for, ms (its sleeps are instant). */
  retrySleeps: number[];
}

/** startEngine with ATTEMPTS attempts per call and the given attempt timeout (default TEST_RETRY's). */
export async function startFaultEngine(options: Omit<EngineOptions, "maxAttempts"> & { attemptTimeoutMs?: number } = {}): Promise<FaultHarness> {
  const { attemptTimeoutMs = TEST_RETRY.timeoutMs, ...engine } = options;
  const h = await startEngine({ ...engine, maxAttempts: ATTEMPTS });
  const runtime = instantRetryRuntime();
  const fast = portsFor(h.sim, { retry: { maxAttempts: ATTEMPTS, timeoutMs: attemptTimeoutMs }, retryRuntime: runtime });
  h.deps.oci = fast;
  return {
    ...h,
    ports: fast,
    retrySleeps: runtime.sleeps,
    applied: (operation) => h.sim.calls.filter((c) => c.operation === operation && c.status >= 200 && c.status < 300 && c.fault === null).length,
    callsOf: (operation) => h.sim.calls.filter((c) => c.operation === operation),
    async close() {
      fast.close();
      await h.close();
    },
  };
}

/** What a complete, single rotation of the example tenancy leaves behind, counted from the simulator. */
export function rotationCounts(h: FaultHarness, bucketVersionsBefore: number) {
  const wrs = Object.values(objectStorageState(h.sim.state).workRequests);
  const now = h.sim.clock.now().getTime();
  const completed = (bucket: string) => wrs.filter((w) => w.bucketName === bucket && workRequestView(w, now).status === "COMPLETED").length;
  const successors = successorsOf(h.sim, SEED.volumeKeyId);
  const successor = successors.length === 1 ? successors[0] : undefined;
  return {
    newBucketKeyVersions: versionsOf(h.sim, SEED.bucketKeyId).length - bucketVersionsBefore,
    successors: successors.length,
    createKeyVersionApplied: h.applied("CreateKeyVersion"),
    createKeyApplied: h.applied("CreateKey"),
    completedReencryptions: Object.fromEntries(BUCKETS.map((b) => [b, completed(b)])),
    volumeMovesApplied: h.applied("UpdateVolumeKmsKey"),
    bootVolumeMovesApplied: h.applied("UpdateBootVolumeKmsKey"),
    volumeOnSuccessor: successor !== undefined && h.sim.state.volumes.get(SEED.volumeId)!.kmsKeyId === successor.id,
    bootVolumeOnSuccessor: successor !== undefined && h.sim.state.bootVolumes.get(SEED.bootVolumeId)!.kmsKeyId === successor.id,
  };
}

/** {@link rotationCounts} of exactly one rotation of each due key, each resource re-keyed once. */
export const ONE_ROTATION = {
  newBucketKeyVersions: 1,
  successors: 1,
  createKeyVersionApplied: 1,
  createKeyApplied: 1,
  completedReencryptions: { "app-backups": 1, "db-backups": 1 },
  volumeMovesApplied: 1,
  bootVolumeMovesApplied: 1,
  volumeOnSuccessor: true,
  bootVolumeOnSuccessor: true,
};
