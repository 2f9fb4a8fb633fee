/**
 * What the store holds about collection coverage of one reporting period, read as of the pack's
 * generation time: the ledger scopes (which compartments keyproof collects), the state snapshots
 * taken in the period, and the export-bucket objects behind the period's events. Instants are
 * canonical ISO UTC text; rows recorded after `asOf` are not seen, so a pack reads one snapshot.
 */
import type { Kysely } from "kysely";
import type { Database, IngestSource } from "./schema.js";
import { compareCodeUnits } from "./compare-code-units.js";

/** A (source, region, scope) keyproof has collected, or tried to. */
export interface LedgerScope {
  source: IngestSource;
  region: string;
  scopeId: string;
}


/**
 * Every (source, region, scope) with a coverage-ledger row recorded at or before `asOf`, or a
 * checkpoint last updated at or before it, ordered by source, region, scope (code-unit order, the
 * same in both dialects). Compartments never configured for ingestion have neither and cannot be
 * listed.
 */
export async function listLedgerScopes(db: Kysely<Database>, asOf: string): Promise<LedgerScope[]> {
  const [fromRows, fromCheckpoints] = await Promise.all([
    db.selectFrom("coverage_window").select(["source", "region", "scope_id"]).distinct().where("recorded_at", "<=", asOf).execute(),
    db.selectFrom("ingest_checkpoint").select(["source", "region", "scope_id"]).where("updated_at", "<=", asOf).execute(),
  ]);
  const seen = new Map<string, LedgerScope>();
  for (const r of [...fromRows, ...fromCheckpoints]) {
    const scope = { source: r.source as IngestSource, region: r.region, scopeId: r.scope_id };
    seen.set(JSON.stringify([scope.source, scope.region, scope.scopeId]), scope);
  }
  return [...seen.values()].sort((x, y) => compareCodeUnits(x.source, y.source) || compareCodeUnits(x.region, y.region) || compareCodeUnits(x.scopeId, y.scopeId));
}

/** One snapshot run with what it saw, by item kind. */
export interface SnapshotRunSummary {
  id: number;
  observedAt: string;
  finishedAt: string | null;
  /** "succeeded" | "partial" | "failed". */
  status: string;
  region: string;
  /** Items stored per kind ("key", "key-version", "resource", "audit-configuration", ...). */
  itemsByKind: Record<string, number>;
  /** Reads that failed (errors_json), as recorded. */
  errors: string[];
  /** GetConfiguration retentionPeriodDays when the run holds an audit-configuration item, else null. */
  auditRetentionDays: number | null;
}

export interface PeriodSnapshots {
  /** Finished runs observed in the period, newest first (observedAt, then id). */
  runs: SnapshotRunSummary[];
}

function parseErrors(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.map((e) => (typeof e === "string" ? e : JSON.stringify(e))) : [];
  } catch {
    return [`errors_json is not valid JSON (${json.length} characters)`];
  }
}

function retentionDaysOf(bodyJson: string | null | undefined): number | null {
  if (!bodyJson) return null;
  try {
    const body = JSON.parse(bodyJson) as { retentionPeriodDays?: unknown };
    return typeof body?.retentionPeriodDays === "number" ? body.retentionPeriodDays : null;
  } catch {
    return null;
  }
}

/** Runs read at most (newest first): the pack states the latest ones. */
const MAX_RUNS = 50;

/**
 * Snapshot runs whose observed instant lies in [start, end) and that had finished (finished_at set
 * and at or before `asOf`), newest first, at most 50, each with its item counts per kind and the
 * audit retention setting it read.
 */
export async function findPeriodSnapshots(db: Kysely<Database>, period: { start: string; end: string }, asOf: string): Promise<PeriodSnapshots> {
  const rows = await db
    .selectFrom("snapshot_run")
    .select(["id", "observed_at", "finished_at", "status", "region", "errors_json"])
    .where("observed_at", ">=", period.start)
    .where("observed_at", "<", period.end)
    .where("finished_at", "is not", null)
    .where("finished_at", "<=", asOf)
    .orderBy("observed_at", "desc")
    .orderBy("id", "desc")
    .limit(MAX_RUNS)
    .execute();
  if (rows.length === 0) return { runs: [] };
  const ids = rows.map((r) => r.id);
  const [counts, configs] = await Promise.all([
    db
      .selectFrom("snapshot_item")
      .select(["snapshot_run_id", "kind", (eb) => eb.fn.countAll<number>().as("n")])
      .where("snapshot_run_id", "in", ids)
      .groupBy(["snapshot_run_id", "kind"])
      .execute(),
    db
      .selectFrom("snapshot_item")
      .leftJoin("snapshot_body", "snapshot_body.sha256", "snapshot_item.body_sha256")
      .select(["snapshot_item.snapshot_run_id", "snapshot_item.id", "snapshot_body.body_json"])
      .where("snapshot_item.snapshot_run_id", "in", ids)
      .where("snapshot_item.kind", "=", "audit-configuration")
      .orderBy("snapshot_item.id")
      .execute(),
  ]);
  return {
    runs: rows.map((r) => {
      const itemsByKind: Record<string, number> = {};
      for (const c of counts.filter((c) => c.snapshot_run_id === r.id).sort((x, y) => compareCodeUnits(x.kind, y.kind))) itemsByKind[c.kind] = Number(c.n);
      const config = configs.filter((c) => c.snapshot_run_id === r.id).pop();
      return {
        id: Number(r.id),
        observedAt: r.observed_at,
        finishedAt: r.finished_at,
        status: r.status,
        region: r.region,
        itemsByKind,
        errors: parseErrors(r.errors_json),
        auditRetentionDays: retentionDaysOf(config?.body_json),
      };
    }),
  };
}

/** An export-bucket object an import run read. */
export interface ExportObjectSummary {
  namespace: string;
  bucket: string;
  objectName: string;
  status: string;
  importRunId: number;
}

/** Export-bucket objects of the given import runs, imported at or before `asOf`, by bucket and name. */
export async function findExportObjectsOfRuns(db: Kysely<Database>, runIds: readonly number[], asOf: string): Promise<ExportObjectSummary[]> {
  if (runIds.length === 0) return [];
  const rows = await db
    .selectFrom("export_object")
    .select(["namespace", "bucket", "object_name", "status", "import_run_id"])
    .where("import_run_id", "in", [...runIds])
    .where("imported_at", "<=", asOf)
    .execute();
  return rows
    .map((r) => ({ namespace: r.namespace, bucket: r.bucket, objectName: r.object_name, status: r.status, importRunId: Number(r.import_run_id) }))
    .sort((x, y) => compareCodeUnits(x.namespace, y.namespace) || compareCodeUnits(x.bucket, y.bucket) || compareCodeUnits(x.objectName, y.objectName) || x.importRunId - y.importRunId);
}
