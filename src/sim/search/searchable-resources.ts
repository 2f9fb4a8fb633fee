/**
 * The simulator state as Resource Search sees it: one ResourceSummary (OCI-NOTES §2.4) per key,
 * vault, volume, boot volume, volume backup, boot volume backup and bucket, with resource types
 * spelled as OCI's `GET /resourceTypes` spells them (`Key`, `BootVolume`, ...). Queries match the
 * types case-insensitively.
 */
import type { SimState } from "../state/sim-state.js";

/** A ResourceSummary as the wire carries it (times as ISO text). */
export interface ResourceSummaryJson {
  resourceType: string;
  identifier: string;
  compartmentId: string;
  timeCreated: string;
  displayName: string;
  availabilityDomain?: string;
  lifecycleState?: string;
  freeformTags: Record<string, string>;
  definedTags: Record<string, Record<string, unknown>>;
  systemTags: Record<string, Record<string, unknown>>;
  additionalDetails?: Record<string, unknown>;
  [field: string]: unknown;
}

/** The resource types the simulator can search, with the fields ListResourceTypes describes. */
export const SEARCHABLE_TYPES = ["Bucket", "BootVolume", "BootVolumeBackup", "Key", "Vault", "Volume", "VolumeBackup"] as const;

const iso = (t: string) => new Date(t).toISOString();

/** Every searchable resource of the tenancy, in no particular order. */
export function searchableResources(state: SimState): ResourceSummaryJson[] {
  const out: ResourceSummaryJson[] = [];
  const base = (r: { id: string; compartmentId: string; timeCreated: string; freeformTags: Record<string, string>; definedTags: Record<string, Record<string, unknown>> }) => ({
    identifier: r.id, compartmentId: r.compartmentId, timeCreated: iso(r.timeCreated), freeformTags: r.freeformTags, definedTags: r.definedTags, systemTags: {},
  });
  for (const v of state.vaults.values()) out.push({ resourceType: "Vault", ...base(v), displayName: v.displayName, lifecycleState: v.lifecycleState });
  for (const k of state.keys.values()) {
    out.push({ resourceType: "Key", ...base(k), displayName: k.displayName, lifecycleState: k.lifecycleState, additionalDetails: { vaultId: k.vaultId } });
  }
  for (const [type, records] of [["Volume", state.volumes], ["BootVolume", state.bootVolumes]] as const) {
    for (const v of records.values()) {
      out.push({ resourceType: type, ...base(v), displayName: v.displayName, availabilityDomain: v.availabilityDomain, lifecycleState: v.lifecycleState });
    }
  }
  for (const [type, records] of [["VolumeBackup", state.volumeBackups], ["BootVolumeBackup", state.bootVolumeBackups]] as const) {
    for (const b of records.values()) out.push({ resourceType: type, ...base(b), displayName: b.displayName, lifecycleState: b.lifecycleState });
  }
  for (const b of state.buckets.values()) {
    out.push({ resourceType: "Bucket", ...base(b), displayName: b.name, additionalDetails: { namespace: state.tenancy.namespace } });
  }
  return out;
}

/** FreeText search: every word of `text` appears (case-insensitively) in the name, id, type or a tag. */
export function matchesFreeText(text: string, r: ResourceSummaryJson): boolean {
  const haystack = [
    r.displayName, r.identifier, r.resourceType, r.lifecycleState ?? "",
    ...Object.entries(r.freeformTags).flat(),
    ...Object.entries(r.definedTags).flatMap(([ns, tags]) => [ns, ...Object.entries(tags).flat().map(String)]),
  ].join(" ").toLowerCase();
  return text.toLowerCase().split(/\s+/).filter(Boolean).every((word) => haystack.includes(word));
}
