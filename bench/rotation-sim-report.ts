/**
 * What the rotation benchmark's simulator saw and holds after the run (bench/rotation-bench.ts):
 * calls per operation, the 429s (injected by the fault rule, or the KMS write limit's own), and
 * the proof that every key was rotated exactly once and every resource re-keyed: per bucket key
 * exactly one version created after `asOf`, current, and per bucket exactly one re-encryption work
 * request, COMPLETED under that version; per volume key exactly one successor (tag `predecessor`),
 * and every volume and boot volume that used the key now on it. Anything else is a problem.
 */
import { objectStorageState } from "../src/sim/objectstorage/object-storage-state.js";
import { workRequestView } from "../src/sim/objectstorage/work-request-status.js";
import type { Simulator } from "../src/sim/start-simulator.js";

export interface RotationSimReport {
  calls: number;
  byOperation: Record<string, number>;
  /** 429s of the fault rule (`kind: "throttle"`). */
  throttledInjected: number;
  /** 429s of the simulator's KMS write limit (10 per second of wall clock). */
  throttledByWriteLimit: number;
  /** CreateKeyVersion and CreateKey attempts, whatever their answer. */
  kmsWriteAttempts: number;
  versionsCreated: number;
  successorKeys: number;
  bucketsReencrypted: number;
  volumesMoved: number;
  bucketKeys: number;
  volumeKeys: number;
  buckets: number;
  volumes: number;
  /** The first problems found (a resource not re-keyed, a key rotated twice...); empty when all is right. */
  problems: string[];
  /** Total problems (problems holds at most 20). */
  problemCount: number;
  /** CPU time of the simulator process, ms. */
  cpuMs: number;
}

/** Builds the report; `asOf` is the tenancy's instant (the benchmark's start). */
export function rotationSimReport(sim: Simulator, asOf: string, cpu: NodeJS.CpuUsage): RotationSimReport {
  const problems: string[] = [];
  const problem = (text: string) => problems.push(text);
  const byOperation: Record<string, number> = {};
  for (const c of sim.calls) byOperation[c.operation] = (byOperation[c.operation] ?? 0) + 1;
  const throttled = sim.calls.filter((c) => c.status === 429);
  const nowMs = sim.clock.now().getTime();
  const keys = [...sim.state.keys.values()];
  const successorsOf = new Map<string, string[]>();
  for (const k of keys) {
    const predecessor = (k.freeformTags as Record<string, string> | undefined)?.predecessor;
    if (predecessor) successorsOf.set(predecessor, [...(successorsOf.get(predecessor) ?? []), k.id]);
  }
  const originals = keys.filter((k) => !(k.freeformTags as Record<string, string> | undefined)?.predecessor);
  const buckets = [...sim.state.buckets.values()];
  const wrsByBucket = new Map<string, ReturnType<typeof objectStorageState>["workRequests"][string][]>();
  for (const wr of Object.values(objectStorageState(sim.state).workRequests)) wrsByBucket.set(wr.bucketName, [...(wrsByBucket.get(wr.bucketName) ?? []), wr]);
  const volumes = [...sim.state.volumes.values(), ...sim.state.bootVolumes.values()];
  const volumesOf = new Map<string, string[]>();
  for (const v of volumes) {
    // A moved volume's key is a successor; the key it came from is that successor's predecessor.
    const key = v.kmsKeyId ? sim.state.keys.get(v.kmsKeyId) : undefined;
    const original = (key?.freeformTags as Record<string, string> | undefined)?.predecessor ?? v.kmsKeyId ?? "";
    volumesOf.set(original, [...(volumesOf.get(original) ?? []), v.id]);
  }

  let versionsCreated = 0;
  let successorKeys = 0;
  let bucketsReencrypted = 0;
  let volumesMoved = 0;
  let bucketKeys = 0;
  let volumeKeys = 0;
  for (const key of originals) {
    const keyBuckets = buckets.filter((b) => b.kmsKeyId === key.id);
    const keyVolumes = volumesOf.get(key.id) ?? [];
    if (keyBuckets.length > 0) {
      bucketKeys += 1;
      const created = [...sim.state.keyVersions.values()].filter((v) => v.keyId === key.id && v.timeCreated > asOf);
      versionsCreated += created.length;
      if (created.length !== 1) problem(`key ${key.displayName}: ${created.length} versions created, expected 1`);
      const version = created[0];
      if (version && key.currentKeyVersion !== version.id) problem(`key ${key.displayName}: the new version is not current`);
      for (const b of keyBuckets) {
        const wrs = wrsByBucket.get(b.name) ?? [];
        const done = wrs.filter((wr) => workRequestView(wr, nowMs).status === "COMPLETED" && wr.kmsKeyVersionId === version?.id);
        if (wrs.length === 1 && done.length === 1) bucketsReencrypted += 1;
        else problem(`bucket ${b.name}: ${wrs.length} re-encryption(s), ${done.length} completed under the new version; expected exactly 1`);
      }
    }
    if (keyVolumes.length > 0) {
      volumeKeys += 1;
      const successors = successorsOf.get(key.id) ?? [];
      successorKeys += successors.length;
      if (successors.length !== 1) problem(`key ${key.displayName}: ${successors.length} successor keys, expected 1`);
      for (const id of keyVolumes) {
        const volume = sim.state.volumes.get(id) ?? sim.state.bootVolumes.get(id)!;
        if (successors.length === 1 && volume.kmsKeyId === successors[0]) volumesMoved += 1;
        else problem(`volume ${volume.displayName}: on ${volume.kmsKeyId}, not on the successor of ${key.displayName}`);
      }
    }
  }
  return {
    calls: sim.calls.length, byOperation,
    throttledInjected: throttled.filter((c) => c.fault === "throttle").length,
    throttledByWriteLimit: throttled.filter((c) => c.fault === null).length,
    kmsWriteAttempts: (byOperation.CreateKeyVersion ?? 0) + (byOperation.CreateKey ?? 0),
    versionsCreated, successorKeys, bucketsReencrypted, volumesMoved, bucketKeys, volumeKeys,
    buckets: buckets.filter((b) => originals.some((k) => k.id === b.kmsKeyId)).length, volumes: volumes.length,
    problems: problems.slice(0, 20), problemCount: problems.length,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
}
