/**
 * Block Volume records → the JSON Core answers (oci-core models Volume, BootVolume, VolumeBackup,
 * BootVolumeBackup; OCI-NOTES §2.5). `kmsKeyId` is omitted for an Oracle-managed key.
 */
import type { SimState } from "../state/sim-state.js";

type MapValue<M> = M extends Map<string, infer V> ? V : never;
export type VolumeRecord = MapValue<SimState["volumes"]>;
export type BackupRecord = MapValue<SimState["volumeBackups"]>;

const iso = (t: string) => new Date(t).toISOString();

/** Volume (and, with `imageId` left out, BootVolume). */
export function volumeJson(v: VolumeRecord): Record<string, unknown> {
  return {
    availabilityDomain: v.availabilityDomain, compartmentId: v.compartmentId, definedTags: v.definedTags, displayName: v.displayName,
    freeformTags: v.freeformTags, systemTags: {}, id: v.id, isHydrated: true, kmsKeyId: v.kmsKeyId ?? undefined,
    lifecycleState: v.lifecycleState, vpusPerGB: 10, sizeInGBs: v.sizeInGBs, sizeInMBs: v.sizeInGBs * 1024,
    timeCreated: iso(v.timeCreated), isAutoTuneEnabled: false,
  };
}

/** VolumeBackup (`sourceField` = "volumeId") or BootVolumeBackup ("bootVolumeId"). */
export function backupJson(b: BackupRecord, sourceField: "volumeId" | "bootVolumeId", sizeInGBs: number | undefined): Record<string, unknown> {
  return {
    compartmentId: b.compartmentId, definedTags: b.definedTags, displayName: b.displayName,
    expirationTime: b.expirationTime ? iso(b.expirationTime) : undefined, freeformTags: b.freeformTags, systemTags: {}, id: b.id,
    kmsKeyId: b.kmsKeyId ?? undefined, lifecycleState: b.lifecycleState, sizeInGBs, sourceType: "MANUAL",
    timeCreated: iso(b.timeCreated), timeRequestReceived: iso(b.timeCreated), type: b.type, uniqueSizeInGBs: sizeInGBs,
    [sourceField]: b.sourceId,
  };
}
