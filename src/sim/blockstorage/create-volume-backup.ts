/**
 * Takes a backup of a volume or boot volume inside the simulator (for tests and scripted demos; the
 * simulator serves no CreateVolumeBackup). The backup records the key the volume uses NOW and keeps
 * it when the volume later moves to another key, as OCI documents for backups and clones (DESIGN §3).
 */
import type { SimState } from "../state/sim-state.js";
import type { BackupRecord } from "./block-json.js";

/** Adds a FULL, AVAILABLE backup of `sourceId` (a volume or boot volume id) and returns it. */
export function createVolumeBackup(state: SimState, sourceId: string, atIso: string, displayName?: string): BackupRecord {
  const volume = state.volumes.get(sourceId);
  const boot = volume ? undefined : state.bootVolumes.get(sourceId);
  const source = volume ?? boot;
  if (!source) throw new TypeError(`createVolumeBackup: no volume or boot volume ${sourceId}`);
  const backup: BackupRecord = {
    id: state.ids.next(volume ? "volumebackup" : "bootvolumebackup"), compartmentId: source.compartmentId,
    displayName: displayName ?? `${source.displayName}-${atIso.slice(0, 10)}`, availabilityDomain: source.availabilityDomain,
    kmsKeyId: source.kmsKeyId, timeCreated: atIso, freeformTags: { ...source.freeformTags }, definedTags: structuredClone(source.definedTags),
    sourceId, type: "FULL", lifecycleState: "AVAILABLE",
  };
  (volume ? state.volumeBackups : state.bootVolumeBackups).set(backup.id, backup);
  return backup;
}
