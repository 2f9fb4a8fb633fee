/**
 * `takeSnapshot`: records the observed OCI state (issue 5 item 4, DESIGN §1 "snapshot"), append-only
 * with the instant it stands for. See store/snapshots.ts for the tables and the readers.
 */
import { requireInstant } from "../../time/instant.js";
import {
  emptySnapshotCounts,
  finishSnapshotRun,
  insertSnapshotItems,
  insertSnapshotRun,
  type SnapshotCounts,
  type SnapshotItem,
} from "../../store/snapshots.js";
import type { IngestDeps } from "./ingest-deps.js";
import type { SnapshotPart } from "./snapshot-items.js";
import {
  inScopeBuckets,
  readAuditConfigurationPart,
  readInventoryPart,
  readRetentionRulesPart,
  readVolumeBackupsPart,
  resolveArchiveBucket,
  type RetentionBucket,
} from "./snapshot-reads.js";

/** `snapshot_run.scope_json`: what the snapshot was asked to read, and what it read completely. */
export interface SnapshotScope {
  /** config.scope. */
  tag: string;
  compartments: string[];
  vaultCompartments: string[];
  /** config.ingest.archiveBucket with its namespace (null = none configured, or its namespace could not be read). */
  archiveBucket: { namespace: string; bucket: string } | null;
  /**
   * Read completely: only there does the absence of items mean "none". `inventory` covers the
   * vault, key, key-version and resource items (single keys or resources that failed are in
   * `errors`); `volumeBackupCompartments` and `retentionRuleBuckets` (`namespace/bucket`) list
   * what was listed to the last page.
   */
  read: {
    inventory: boolean;
    auditConfiguration: boolean;
    volumeBackupCompartments: string[];
    retentionRuleBuckets: string[];
  };
}

export interface SnapshotResult {
  runId: number;
  /** The instant the snapshot stands for: deps.now() when its reads started (UTC). */
  observedAt: string;
  status: "succeeded" | "partial" | "failed";
  counts: SnapshotCounts;
  /** Failed reads, each naming the operation, the OCID (or bucket) and the reason. */
  errors: string[];
  /** Bodies the store did not hold yet (an unchanged tenancy adds none). */
  newBodies: number;
  scope: SnapshotScope;
}

/**
 * Takes one snapshot: vaults, in-scope keys, every key version (all pages), replica copies, tagged
 * in-scope resources with their kmsKeyId (the rotation inventory), every volume and boot volume
 * backup of the scope compartments with its key, the Audit retention setting, and the retention
 * rules of the archive bucket and of the tagged in-scope buckets.
 *
 * Order for safe failure: the run row is written first (`running`, observed_at = deps.now() before
 * any read, never the simulator's or OCI's clock), then every part is read, each catching its own
 * failures, then the items, the new bodies and the final status commit in one transaction. A crash
 * leaves the run `running` with no items, which readers ignore (store/snapshots.ts).
 *
 * Status: `succeeded` when every read answered; `partial` when some failed (named in `errors`) and
 * the rest is stored; `failed` when nothing could be read (DESIGN §3 rule 7: a missing part is
 * recorded, never taken for "nothing there").
 * @throws the store's error when the run or its items cannot be written (after trying to mark the
 *   run `failed`); OCI failures are never thrown. TypeError when deps.now() is not an instant.
 */
export async function takeSnapshot(deps: IngestDeps): Promise<SnapshotResult> {
  const observedAt = requireInstant(deps.now(), "now").iso;
  const { scope } = deps.config;
  const db = deps.store.db;
  const runId = await insertSnapshotRun(db, {
    startedAt: observedAt, observedAt, region: deps.ports.region,
    scope: { tag: scope.tag, compartments: [...scope.compartments], vaultCompartments: [...scope.vaultCompartments] },
  });
  const log = deps.logger.child({ job: "snapshot", runId });

  const [inventory, backups, audit, archive] = await Promise.all([
    readInventoryPart(deps, observedAt),
    readVolumeBackupsPart(deps),
    readAuditConfigurationPart(deps),
    resolveArchiveBucket(deps),
  ]);
  const buckets: RetentionBucket[] = [
    ...(archive && !("error" in archive) ? [archive] : []),
    ...(inventory.inventory ? inScopeBuckets(inventory.inventory) : []),
  ];
  const rules = await readRetentionRulesPart(deps, buckets);
  const archiveError: SnapshotPart = { items: [], errors: archive && "error" in archive ? [archive.error] : [] };

  const parts: SnapshotPart[] = [inventory, backups, audit, archiveError, rules];
  const items: SnapshotItem[] = parts.flatMap((p) => p.items);
  // Each part's errors in a stable order (reads run concurrently), parts in a fixed order.
  const errors = parts.flatMap((p) => [...p.errors].sort());
  const counts = emptySnapshotCounts();
  for (const item of items) counts[item.kind] += 1;
  const status = errors.length === 0 ? "succeeded" : items.length > 0 ? "partial" : "failed";
  const fullScope: SnapshotScope = {
    tag: scope.tag, compartments: [...scope.compartments], vaultCompartments: [...scope.vaultCompartments],
    archiveBucket: archive && !("error" in archive) ? { namespace: archive.namespace, bucket: archive.name } : null,
    read: {
      inventory: inventory.inventory !== null,
      auditConfiguration: audit.items.length > 0,
      volumeBackupCompartments: backups.compartmentsRead,
      retentionRuleBuckets: rules.bucketsRead,
    },
  };

  let newBodies = 0;
  try {
    newBodies = await db.transaction().execute(async (trx) => {
      const written = await insertSnapshotItems(trx, runId, observedAt, items);
      await finishSnapshotRun(trx, runId, { finishedAt: finishedAt(deps, observedAt), status, counts, errors, scope: fullScope });
      return written.newBodies;
    });
  } catch (err) {
    // Nothing of the items was kept (one transaction); say so on the run if the store still answers.
    const why = `store: the snapshot could not be written (${err instanceof Error ? err.name : "unknown error"})`;
    await finishSnapshotRun(db, runId, {
      finishedAt: finishedAt(deps, observedAt), status: "failed", counts: emptySnapshotCounts(), errors: [...errors, why], scope: fullScope,
    }).catch(() => undefined);
    log.error({ err }, "snapshot not written");
    throw err;
  }

  for (const error of errors) log.warn({ error }, "snapshot read failed");
  log.info({ status, observedAt, counts, errors: errors.length, newBodies }, `snapshot ${status}`);
  return { runId, observedAt, status, counts, errors, newBodies, scope: fullScope };
}

/** The finish instant from the injected clock, never before observed_at (a clock moved back). */
function finishedAt(deps: IngestDeps, observedAt: string): string {
  const now = requireInstant(deps.now(), "now").iso;
  return now < observedAt ? observedAt : now;
}
