/**
 * What the rotation engine sees of a tenancy at one instant: vaults, in-scope keys with all their
 * versions, tagged resources with the key each uses, key lineages and the findings about them.
 * Built by `collect-inventory.ts` (I/O through OciPorts), judged by pure functions. All times are
 * canonical UTC ISO strings.
 */
import type { OciKey, OciKeyVersion, OciResource, OciVault } from "../oci/oci-ports.js";

export interface InventoryKey {
  key: OciKey;
  /** Every version of the key, oldest first (ListKeyVersions, all pages). */
  versions: OciKeyVersion[];
  vault: OciVault;
}

/**
 * A volume key lineage: keys linked by the `predecessor` tag (DESIGN §3: volumes rotate by moving
 * to a successor key). `keyIds` runs oldest → newest; the last one is the head that volumes
 * should be on. A bucket key is a lineage of one.
 */
export interface KeyLineage {
  headKeyId: string;
  keyIds: string[];
}

export type FindingSeverity = "critical" | "high" | "medium" | "low";

export type FindingCode =
  /** DESIGN §3: a key serving volumes and buckets cannot be rotated correctly for both. */
  | "KEY_SERVES_VOLUMES_AND_BUCKETS"
  /** B13: a replica of a replicated vault's key; reported as a read-only copy, never rotated. */
  | "REPLICA_KEY"
  /** Rule 8: left out of rotation, listed with its deletion date. */
  | "KEY_PENDING_DELETION"
  /** Rule 8: critical. */
  | "RESOURCE_ON_KEY_PENDING_DELETION"
  /** EXTERNAL protection mode: key material lives outside OCI; keyproof cannot create versions. */
  | "EXTERNAL_KEY"
  /** B15: Block Volume needs AES; no UpdateVolumeKmsKey is sent. */
  | "NON_AES_KEY_FOR_VOLUME"
  /** B17: bucket or volume without a customer-managed key: not eligible. */
  | "ORACLE_MANAGED_KEY"
  /** A resource's kmsKeyId that GetKey cannot read (deleted, other tenancy, no permission). */
  | "KEY_NOT_READABLE"
  | "KEY_DISABLED"
  /** Native auto-rotation: lastRotationStatus FAILED (rule 2 exception). */
  | "AUTO_ROTATION_FAILED"
  /** Native auto-rotation on, but timeOfNextRotation passed or the current version is too old. */
  | "AUTO_ROTATION_NOT_HAPPENING"
  /** OCI Block Volume docs: keys with a single version only. */
  | "VOLUME_KEY_HAS_MULTIPLE_VERSIONS"
  /**
   * Native auto-rotation on a key Block Volume resources use: it makes new key versions, which
   * volumes do not follow (keys with a single version only), so it never re-keys them (high).
   */
  | "AUTO_ROTATION_ON_VOLUME_KEY"
  /**
   * Native auto-rotation whose current version is past the *policy* interval (rule 2: context,
   * never proof; high), or whose own interval is longer than the policy's (medium).
   */
  | "AUTO_ROTATION_BEHIND_POLICY"
  /**
   * A `predecessor` tag linking keys of different vaults, algorithms, lengths or protection modes:
   * not a successor the engine would make, so the keys are not joined into one lineage (high).
   */
  | "LINEAGE_LINK_REJECTED"
  /** Two or more successor keys name one predecessor: a sign of a double rotation (high). */
  | "LINEAGE_FORK"
  /**
   * A bucket on a retired key of a volume lineage (not its head): buckets need a new key version,
   * retired volume keys are kept unchanged for backups, so the bucket is not re-encrypted (high).
   */
  | "BUCKET_ON_RETIRED_VOLUME_KEY"
  /**
   * A tagged resource in scope that Resource Search listed but its own read (GetVolume, GetBucket,
   * ...) failed: left out of this run, the rest carries on (rules 7 and 9). High; medium for 404
   * NotAuthorizedOrNotFound, which OCI answers both for a resource deleted since the search and
   * for one this principal may not read.
   */
  | "RESOURCE_NOT_READABLE";

export interface Finding {
  code: FindingCode;
  severity: FindingSeverity;
  keyId: string | null;
  resourceId: string | null;
  /** One sentence an auditor can read, naming the key or resource and why. */
  message: string;
}

export interface Inventory {
  /** When the state was read (UTC). */
  observedAt: string;
  vaults: OciVault[];
  /** Keys in scope: used by a tagged resource, carrying the scope tag, or in a lineage of one. */
  keys: InventoryKey[];
  resources: OciResource[];
  lineages: KeyLineage[];
  findings: Finding[];
  /**
   * B13: the read-only copies of in-scope keys seen through replica vaults (same key OCID, `vault`
   * = the replica, `key.isPrimary` false, `versions` not read). Listed once each, never judged or
   * rotated: the key itself is in `keys` under its primary vault. Absent = none seen.
   */
  replicaCopies?: InventoryKey[];
}
