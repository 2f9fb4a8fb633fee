/**
 * Pure builders of snapshot items from keyproof's OCI models (issue 5 snapshots), and the one way
 * a failed read is put into words for `snapshot_run.errors_json`. See store/snapshots.ts
 * {@link SnapshotItem} for what each column holds per kind.
 */
import { AppError } from "../../app/errors.js";
import { OciCallError, type OciRetentionRule, type OciVolumeBackup } from "../../oci/oci-ports.js";
import type { Inventory } from "../../rotation/inventory.js";
import { bucketRef, type SnapshotItem } from "../../store/snapshots.js";

/** Items of one part of a snapshot, and the reads of that part that failed. */
export interface SnapshotPart {
  items: SnapshotItem[];
  errors: string[];
}

/**
 * The vaults, keys (primary copies, then read-only replica copies), every version of each key and
 * the tagged in-scope resources of an inventory, in a stable order.
 */
export function inventoryItems(inventory: Inventory): SnapshotItem[] {
  const items: SnapshotItem[] = [];
  for (const vault of inventory.vaults) {
    items.push({ kind: "vault", ocid: vault.id, parentId: null, compartmentId: vault.compartmentId, lifecycleState: vault.lifecycleState, body: vault });
  }
  for (const { key, vault, versions } of inventory.keys) {
    items.push({ kind: "key", ocid: key.id, parentId: vault.id, compartmentId: key.compartmentId, lifecycleState: key.lifecycleState, body: key });
    for (const version of versions) {
      items.push({
        kind: "key-version", ocid: version.id, parentId: key.id, compartmentId: key.compartmentId,
        lifecycleState: version.lifecycleState, body: version,
      });
    }
  }
  // B13: a replica vault's copy is the same key OCID seen through another vault (isPrimary false).
  for (const { key, vault } of inventory.replicaCopies ?? []) {
    items.push({ kind: "key", ocid: key.id, parentId: vault.id, compartmentId: key.compartmentId, lifecycleState: key.lifecycleState, body: key });
  }
  for (const r of inventory.resources) {
    items.push({ kind: "resource", ocid: r.id, parentId: r.kmsKeyId, compartmentId: r.compartmentId, lifecycleState: r.lifecycleState, body: r });
  }
  return items;
}

/**
 * The reads the inventory could not make (it reports them as findings and carries on): a key
 * whose GetKey or ListKeyVersions failed, a tagged resource whose own read failed, a replica copy
 * that could not be read. Each becomes one error, so that the missing item is never taken for
 * "nothing there" (DESIGN §3 rule 7).
 */
export function inventoryErrors(inventory: Inventory): string[] {
  return inventory.findings
    .filter((f) =>
      f.code === "KEY_NOT_READABLE" || f.code === "RESOURCE_NOT_READABLE" ||
      // The unreadable replica copy is the only REPLICA_KEY finding that says so (collect-inventory.ts).
      (f.code === "REPLICA_KEY" && f.message.includes("could not be read")))
    .map((f) => `inventory ${f.code} ${f.resourceId ?? f.keyId}: ${f.message}`);
}

export function volumeBackupItem(backup: OciVolumeBackup): SnapshotItem<"volume-backup"> {
  return {
    kind: "volume-backup", ocid: backup.id, parentId: backup.sourceId, compartmentId: backup.compartmentId,
    lifecycleState: backup.lifecycleState, body: backup,
  };
}

/** A retention rule of bucket `namespace/bucketName` (compartment when known, e.g. from Resource Search). */
export function retentionRuleItem(rule: OciRetentionRule, namespace: string, bucketName: string, compartmentId: string | null): SnapshotItem<"retention-rule"> {
  return { kind: "retention-rule", ocid: rule.id, parentId: bucketRef(namespace, bucketName), compartmentId, lifecycleState: null, body: rule };
}

/** The tenancy's Audit retention (GetConfiguration). */
export function auditConfigurationItem(tenancyId: string, retentionPeriodDays: number): SnapshotItem<"audit-configuration"> {
  return { kind: "audit-configuration", ocid: tenancyId, parentId: null, compartmentId: tenancyId, lifecycleState: null, body: { retentionPeriodDays } };
}

/**
 * One failed read in words: `<operation> <what>: <reason> (HTTP <status> <code>)[, after N attempts]`.
 * `what` names the OCID (or bucket) the read was about. Never a request body or a secret: for an
 * answer keyproof could not read (TypeError from to-oci-models.ts) or one of keyproof's own
 * errors, their message (which names the field); anything else only by its class name.
 */
export function describeReadFailure(operation: string, what: string, err: unknown): string {
  if (err instanceof OciCallError) {
    const status = err.statusCode ? ` (HTTP ${err.statusCode}${err.serviceCode ? ` ${err.serviceCode}` : ""})` : "";
    const attempts = err.attempts > 1 ? `, after ${err.attempts} attempts` : "";
    return `${err.operation} ${what}: ${err.reason}${status}${attempts}`;
  }
  if (err instanceof TypeError) return `${operation} ${what}: malformed answer: ${err.message}`;
  if (err instanceof AppError) return `${operation} ${what}: ${err.message}`;
  return `${operation} ${what}: ${err instanceof Error ? err.name : "unknown error"}`;
}
