/** How each resource kind is re-keyed (DESIGN §3 "How a rotation works"). */
import type { ResourceKind } from "../oci/oci-ports.js";

/** Block Volume resources: keys with a single version only (OCI Block Volume docs). */
export function isVolumeFamily(kind: ResourceKind): boolean {
  return kind === "volume" || kind === "bootvolume" || kind === "volumebackup" || kind === "bootvolumebackup";
}

/**
 * Volumes and boot volumes: moved to a successor key (UpdateVolumeKmsKey / UpdateBootVolumeKmsKey).
 * Backups are not: they keep the key they were made with, which is why predecessors are retained.
 */
export function isMovableVolume(kind: ResourceKind): kind is "volume" | "bootvolume" {
  return kind === "volume" || kind === "bootvolume";
}

const LABELS: Record<ResourceKind, string> = {
  volume: "volume",
  bootvolume: "boot volume",
  volumebackup: "volume backup",
  bootvolumebackup: "boot volume backup",
  bucket: "bucket",
};

/** `volume "pg-data-vol"`: the kind in words and the display name, for messages. */
export function describeResource(resource: { kind: ResourceKind; displayName: string }): string {
  return `${LABELS[resource.kind]} "${resource.displayName}"`;
}

/** `2 buckets`, `1 boot volume`: a count with the kind's label, pluralised. */
export function countOf(count: number, kind: ResourceKind): string {
  return `${count} ${LABELS[kind]}${count === 1 ? "" : "s"}`;
}
