/**
 * Append-only state snapshots (issue 5, DESIGN §1 "snapshot", §3 rule 7): one `snapshot_run` per
 * snapshot, one `snapshot_item` per object it saw, and the item bodies once per content in
 * `snapshot_body` (keyed by the SHA-256 of the RFC 8785 form, insert-or-ignore, so an unchanged
 * object costs one item row and no new body). Nothing here updates or deletes an item or a body.
 *
 * Unfinished runs: a snapshot writes its items and its final status in one transaction, so a
 * crash leaves a run `running` with no items. Readers ignore every run that is not finished
 * (`findSnapshotAsOf` only returns `succeeded` or `partial` runs); no later run rewrites it.
 *
 * Query functions take `db` first so the use case can run them inside its transaction (STYLE §6, §7).
 * All instants are canonical ISO UTC text.
 */
import type { Kysely, Selectable } from "kysely";
import type { OciKey, OciKeyVersion, OciResource, OciRetentionRule, OciVault, OciVolumeBackup } from "../oci/oci-ports.js";
import { requireInstant } from "../time/instant.js";
import { canonicalJson, canonicalSha256 } from "./canonical-json.js";
import type { Database, SnapshotRunTable } from "./schema.js";
import { compareCodeUnits } from "./compare-code-units.js";

/** What one snapshot item is. */
export type SnapshotKind = "vault" | "key" | "key-version" | "resource" | "volume-backup" | "audit-configuration" | "retention-rule";

export const SNAPSHOT_KINDS: readonly SnapshotKind[] = ["vault", "key", "key-version", "resource", "volume-backup", "audit-configuration", "retention-rule"];

/** `succeeded`: every read answered; `partial`: some reads failed (named in `errors`), the rest stored; `failed`: nothing could be read. */
export type SnapshotStatus = "running" | "succeeded" | "partial" | "failed";

/** Body of the `audit-configuration` item (Audit GetConfiguration of the tenancy). */
export interface AuditConfigurationBody {
  retentionPeriodDays: number;
}

/** The body stored for each kind: keyproof's normalised models, times canonical ISO UTC. */
export interface SnapshotBodies {
  vault: OciVault;
  key: OciKey;
  "key-version": OciKeyVersion;
  resource: OciResource;
  "volume-backup": OciVolumeBackup;
  "audit-configuration": AuditConfigurationBody;
  "retention-rule": OciRetentionRule;
}

/**
 * One object seen by a snapshot. Columns per kind (what the verdict engine joins on):
 * - vault: ocid = vault OCID, parentId null;
 * - key: ocid = key OCID, parentId = the vault it was read through (a replica vault's read-only
 *   copy of a key is a second `key` item with the same ocid, parentId = the replica vault and
 *   body.isPrimary false, B13);
 * - key-version: parentId = key OCID, compartmentId = the key's;
 * - resource (tagged, in scope): parentId = its kmsKeyId (null = Oracle-managed key);
 * - volume-backup (every backup of the scope compartments, tagged or not): parentId = the volume or boot volume;
 * - audit-configuration: ocid = compartmentId = the tenancy OCID, parentId null;
 * - retention-rule: ocid = the rule id, parentId = {@link bucketRef} of its bucket.
 */
export interface SnapshotItem<K extends SnapshotKind = SnapshotKind> {
  kind: K;
  ocid: string;
  parentId: string | null;
  compartmentId: string | null;
  lifecycleState: string | null;
  body: SnapshotBodies[K];
}

/** A stored item, with the hash of its body. */
export type StoredSnapshotItem<K extends SnapshotKind = SnapshotKind> = SnapshotItem<K> & { bodySha256: string };

export type SnapshotItemsByKind = { [K in SnapshotKind]: StoredSnapshotItem<K>[] };

export type SnapshotCounts = Record<SnapshotKind, number>;

export interface SnapshotRun {
  id: number;
  startedAt: string;
  /** The instant the snapshot stands for: when its reads started (UTC). */
  observedAt: string;
  finishedAt: string | null;
  status: SnapshotStatus;
  region: string;
  /** What was asked for and what was read completely (take-snapshot.ts SnapshotScope), as stored. */
  scope: unknown;
  counts: SnapshotCounts;
  /** Reads that failed, one sentence each naming the operation, the OCID and the reason. */
  errors: string[];
}

export interface SnapshotAsOf {
  run: SnapshotRun;
  /** Items per kind, ordered by ocid then parentId. */
  items: SnapshotItemsByKind;
}

/** The `parentId` of a retention rule: `<namespace>/<bucket name>` (Object Storage addresses buckets by name). */
export function bucketRef(namespace: string, bucketName: string): string {
  return `${namespace}/${bucketName}`;
}

/** Zero for every kind. */
export function emptySnapshotCounts(): SnapshotCounts {
  return Object.fromEntries(SNAPSHOT_KINDS.map((k) => [k, 0])) as SnapshotCounts;
}

/** Starts a run (`running`) and returns its id. `observedAt`/`startedAt` are instants (TypeError otherwise). */
export async function insertSnapshotRun(
  db: Kysely<Database>,
  run: { startedAt: string; observedAt: string; region: string; scope: unknown },
): Promise<number> {
  const row = await db
    .insertInto("snapshot_run")
    .values({
      started_at: requireInstant(run.startedAt, "startedAt").iso,
      observed_at: requireInstant(run.observedAt, "observedAt").iso,
      finished_at: null,
      status: "running",
      region: run.region,
      scope_json: JSON.stringify(run.scope),
      counts_json: JSON.stringify(emptySnapshotCounts()),
      errors_json: "[]",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

// Rows per INSERT: 8 parameters per item row, far below SQLite's 32,766 and PostgreSQL's 65,535 (cases.md B29).
const CHUNK = 1000;

/**
 * Stores the items of run `runId`: each body once per content (insert-or-ignore on its SHA-256),
 * then one item row per item. Call inside the transaction that finishes the run.
 * @returns rows written and the bodies that were new to the store.
 */
export async function insertSnapshotItems(
  db: Kysely<Database>,
  runId: number,
  observedAt: string,
  items: readonly SnapshotItem[],
): Promise<{ items: number; newBodies: number }> {
  const observed = requireInstant(observedAt, "observedAt").iso;
  const bodies = new Map<string, string>();
  const rows = items.map((item) => {
    const sha256 = canonicalSha256(item.body);
    if (!bodies.has(sha256)) bodies.set(sha256, canonicalJson(item.body));
    return {
      snapshot_run_id: runId, observed_at: observed, kind: item.kind, ocid: item.ocid,
      parent_id: item.parentId, compartment_id: item.compartmentId, lifecycle_state: item.lifecycleState, body_sha256: sha256,
    };
  });
  let newBodies = 0;
  const bodyRows = [...bodies].map(([sha256, body_json]) => ({ sha256, body_json }));
  for (let i = 0; i < bodyRows.length; i += CHUNK) {
    const result = await db
      .insertInto("snapshot_body")
      .values(bodyRows.slice(i, i + CHUNK))
      .onConflict((oc) => oc.column("sha256").doNothing())
      .executeTakeFirst();
    newBodies += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  for (let i = 0; i < rows.length; i += CHUNK) await db.insertInto("snapshot_item").values(rows.slice(i, i + CHUNK)).execute();
  return { items: rows.length, newBodies };
}

/**
 * Sets the final status, counts and errors of run `runId` (in the items' transaction), and its
 * scope when given (what was asked for, plus what was read completely, known only at the end).
 */
export async function finishSnapshotRun(
  db: Kysely<Database>,
  runId: number,
  outcome: { finishedAt: string; status: Exclude<SnapshotStatus, "running">; counts: SnapshotCounts; errors: readonly string[]; scope?: unknown },
): Promise<void> {
  await db
    .updateTable("snapshot_run")
    .set({
      finished_at: requireInstant(outcome.finishedAt, "finishedAt").iso,
      status: outcome.status,
      counts_json: JSON.stringify(outcome.counts),
      errors_json: JSON.stringify(outcome.errors),
      ...(outcome.scope !== undefined ? { scope_json: JSON.stringify(outcome.scope) } : {}),
    })
    .where("id", "=", runId)
    .execute();
}

/**
 * The latest usable snapshot at `instant`: the run with the greatest `observed_at` ≤ instant
 * (ties: the later id) whose status is `succeeded` or `partial`, with its items and parsed bodies
 * by kind. Runs still `running` (or left so by a crash) and `failed` runs (no items) are skipped;
 * a `partial` run is returned with its `errors`, which the caller must turn into NO_EVIDENCE for
 * what they name (DESIGN §3 rule 7). Uses the `observed_at` index and the `(run, kind)` index.
 * @returns null when no such run exists.
 * @throws TypeError when `instant` is not an ISO-8601 instant.
 */
export async function findSnapshotAsOf(db: Kysely<Database>, instant: string): Promise<SnapshotAsOf | null> {
  const at = requireInstant(instant, "instant").iso;
  const row = await db
    .selectFrom("snapshot_run")
    .selectAll()
    .where("observed_at", "<=", at)
    .where("status", "in", ["succeeded", "partial"])
    .orderBy("observed_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const itemRows = await db
    .selectFrom("snapshot_item")
    .innerJoin("snapshot_body", "snapshot_body.sha256", "snapshot_item.body_sha256")
    .select(["kind", "ocid", "parent_id", "compartment_id", "lifecycle_state", "body_sha256", "body_json"])
    .where("snapshot_run_id", "=", row.id)
    .orderBy("snapshot_item.id")
    .execute();
  const items = Object.fromEntries(SNAPSHOT_KINDS.map((k) => [k, []])) as unknown as Record<SnapshotKind, StoredSnapshotItem[]>;
  for (const r of itemRows) {
    const list = items[r.kind as SnapshotKind];
    // A kind this version does not know (written by a newer keyproof) is left out, not guessed at.
    if (!list) continue;
    list.push({
      kind: r.kind as SnapshotKind, ocid: r.ocid, parentId: r.parent_id, compartmentId: r.compartment_id,
      lifecycleState: r.lifecycle_state, bodySha256: r.body_sha256, body: JSON.parse(r.body_json),
    } as StoredSnapshotItem);
  }
  // Sorted here, not in SQL: PostgreSQL's collation would order text differently from SQLite's.
  for (const list of Object.values(items)) list.sort((a, b) => compareCodeUnits(a.ocid, b.ocid) || compareCodeUnits(a.parentId ?? "", b.parentId ?? ""));
  return { run: toSnapshotRun(row), items: items as unknown as SnapshotItemsByKind };
}

/**
 * Every snapshot run (any status, `running` included) with `observed_at` in [from, to), oldest
 * first. Either bound may be left out.
 * @throws TypeError when a bound is not an ISO-8601 instant.
 */
export async function listSnapshotRuns(db: Kysely<Database>, range: { from?: string; to?: string } = {}): Promise<SnapshotRun[]> {
  let query = db.selectFrom("snapshot_run").selectAll();
  if (range.from !== undefined) query = query.where("observed_at", ">=", requireInstant(range.from, "from").iso);
  if (range.to !== undefined) query = query.where("observed_at", "<", requireInstant(range.to, "to").iso);
  const rows = await query.orderBy("observed_at").orderBy("id").execute();
  return rows.map(toSnapshotRun);
}


function toSnapshotRun(row: Selectable<SnapshotRunTable>): SnapshotRun {
  return {
    id: Number(row.id),
    startedAt: row.started_at,
    observedAt: row.observed_at,
    finishedAt: row.finished_at,
    status: row.status as SnapshotStatus,
    region: row.region,
    scope: JSON.parse(row.scope_json),
    counts: { ...emptySnapshotCounts(), ...JSON.parse(row.counts_json) },
    errors: JSON.parse(row.errors_json),
  };
}
