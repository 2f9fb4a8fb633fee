/**
 * The OCI reads behind one snapshot, one function per part. Each part catches its own failures
 * and reports them as errors, so a read that fails never stops the others (DESIGN §3 rule 7: a
 * missing part is recorded, never taken for "nothing there"). Each part also says what it read
 * completely, so that an empty result is a real "none" only there.
 */
import pMap from "p-map";
import { collectInventory } from "../../rotation/collect-inventory.js";
import type { Inventory } from "../../rotation/inventory.js";
import { bucketRef } from "../../store/snapshots.js";
import type { IngestDeps } from "./ingest-deps.js";
import { auditConfigurationItem, describeReadFailure, inventoryErrors, inventoryItems, retentionRuleItem, volumeBackupItem, type SnapshotPart } from "./snapshot-items.js";

/** OCI reads in flight at once per part (the ports' retry layer handles throttling). */
const CONCURRENCY = 8;

/** A bucket whose retention rules a snapshot reads. */
export interface RetentionBucket {
  namespace: string;
  name: string;
  /** Bucket compartment, when known (in-scope buckets); null for the archive bucket. */
  compartmentId: string | null;
  /** Why it is read: the ingest archive bucket, a tagged in-scope bucket, or both. */
  roles: Array<"archive" | "in-scope">;
}

/**
 * Vaults, in-scope keys with every version (all pages), replica copies and tagged in-scope
 * resources with their kmsKeyId: the rotation engine's inventory (collect-inventory.ts), read as
 * of `observedAt`. A scope-defining list that fails (ListCompartments, ListVaults,
 * SearchResources, ListKeys) loses the whole part; a single key or resource that cannot be read
 * loses that item only (both as errors).
 */
export async function readInventoryPart(deps: IngestDeps, observedAt: string): Promise<SnapshotPart & { inventory: Inventory | null }> {
  const { scope, policy } = deps.config;
  try {
    const inventory = await collectInventory(deps.ports, { scope, now: observedAt, policy, concurrency: CONCURRENCY });
    return { inventory, items: inventoryItems(inventory), errors: inventoryErrors(inventory) };
  } catch (err) {
    const roots = scope.compartments.length > 0 ? scope.compartments.join(", ") : deps.ports.tenancyId;
    return { inventory: null, items: [], errors: [describeReadFailure("inventory", `of scope ${roots}`, err)] };
  }
}

/**
 * Every volume and boot volume backup, tagged or not, of every compartment below the scope roots
 * (scope.compartments, or the tenancy), with its kmsKeyId: a predecessor key's retention proof
 * depends on the backups still made with it. `compartmentsRead` lists the compartments whose
 * backups were listed completely.
 */
export async function readVolumeBackupsPart(deps: IngestDeps): Promise<SnapshotPart & { compartmentsRead: string[] }> {
  const roots = deps.config.scope.compartments.length > 0 ? [...deps.config.scope.compartments] : [deps.ports.tenancyId];
  const errors: string[] = [];
  const subtrees = await pMap(roots, async (root) => {
    try {
      return await deps.ports.listCompartmentSubtree(root);
    } catch (err) {
      errors.push(describeReadFailure("ListCompartments", `under ${root}`, err));
      return [];
    }
  }, { concurrency: CONCURRENCY });
  const compartments = [...new Set(subtrees.flat())].sort();
  const listed = await pMap(compartments, async (compartmentId) => {
    try {
      return { compartmentId, backups: await deps.ports.blockVolume.listVolumeBackups(compartmentId) };
    } catch (err) {
      errors.push(describeReadFailure("ListVolumeBackups", `of compartment ${compartmentId}`, err));
      return null;
    }
  }, { concurrency: CONCURRENCY });
  const read = listed.filter((l) => l !== null);
  const items = read.flatMap((l) => l.backups.map(volumeBackupItem));
  return { items, errors, compartmentsRead: read.map((l) => l.compartmentId) };
}

/** The tenancy's Audit retention setting (GetConfiguration), one `audit-configuration` item. */
export async function readAuditConfigurationPart(deps: IngestDeps): Promise<SnapshotPart> {
  try {
    const { value } = await deps.ports.audit.getRetentionPeriodDays();
    return { items: [auditConfigurationItem(deps.ports.tenancyId, value)], errors: [] };
  } catch (err) {
    return { items: [], errors: [describeReadFailure("GetConfiguration", `of tenancy ${deps.ports.tenancyId}`, err)] };
  }
}

/**
 * The ingest archive bucket (config.ingest.archiveBucket; its namespace defaults to the tenancy's,
 * GetNamespace) as a {@link RetentionBucket}; null when none is configured, `{error}` when its
 * namespace cannot be read.
 */
export async function resolveArchiveBucket(deps: IngestDeps): Promise<RetentionBucket | { error: string } | null> {
  const archive = deps.config.ingest.archiveBucket;
  if (!archive) return null;
  try {
    const namespace = archive.namespace ?? (await deps.ports.objectStorage.getNamespace());
    return { namespace, name: archive.bucket, compartmentId: null, roles: ["archive"] };
  } catch (err) {
    return { error: describeReadFailure("GetNamespace", `of tenancy ${deps.ports.tenancyId} (archive bucket ${archive.bucket})`, err) };
  }
}

/** The tagged in-scope buckets of an inventory (namespace and name from their own GetBucket). */
export function inScopeBuckets(inventory: Inventory): RetentionBucket[] {
  return inventory.resources.flatMap((r) =>
    r.kind === "bucket" && r.namespace !== null && r.bucketName !== null
      ? [{ namespace: r.namespace, name: r.bucketName, compartmentId: r.compartmentId, roles: ["in-scope" as const] }]
      : []);
}

/**
 * The retention rules (all pages) of each bucket, read once per bucket even when it has several
 * roles. `bucketsRead` lists the {@link bucketRef}s whose rules were listed completely: a bucket
 * there with no rule item has no retention rule.
 */
export async function readRetentionRulesPart(deps: IngestDeps, buckets: readonly RetentionBucket[]): Promise<SnapshotPart & { bucketsRead: string[] }> {
  const byRef = new Map<string, RetentionBucket>();
  for (const b of buckets) {
    const ref = bucketRef(b.namespace, b.name);
    const known = byRef.get(ref);
    byRef.set(ref, known
      ? { ...known, compartmentId: known.compartmentId ?? b.compartmentId, roles: [...new Set([...known.roles, ...b.roles])].sort() }
      : b);
  }
  const errors: string[] = [];
  const read = await pMap([...byRef].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), async ([ref, b]) => {
    try {
      const rules = await deps.ports.objectStorage.listRetentionRules(b.namespace, b.name);
      return { ref, items: rules.map((rule) => retentionRuleItem(rule, b.namespace, b.name, b.compartmentId)) };
    } catch (err) {
      errors.push(describeReadFailure("ListRetentionRules", `of bucket ${ref} (${b.roles.join(", ")})`, err));
      return null;
    }
  }, { concurrency: CONCURRENCY });
  const ok = read.filter((r) => r !== null);
  return { items: ok.flatMap((r) => r.items), errors, bucketsRead: ok.map((r) => r.ref) };
}
