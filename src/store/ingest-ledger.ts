/**
 * Ingestion checkpoints and the coverage ledger (issue 5, DESIGN §4 and §3 rule 7). Query functions
 * take `db` first so they run inside the transaction that stores a window's events: the events, the
 * window's ledger row and the checkpoint commit together or not at all. All instants are canonical
 * ISO UTC text.
 */
import type { Kysely } from "kysely";
import type { Selectable } from "kysely";
import type { CoverageWindowTable, Database, IngestSource } from "./schema.js";

export type { IngestSource } from "./schema.js";

/** What one checkpoint is about. */
export interface CheckpointKey {
  source: IngestSource;
  region: string;
  /** Compartment OCID (ListEvents) or root compartment OCID (Logging Search), or `namespace/bucket/prefix`. */
  scopeId: string;
}

export interface Checkpoint {
  /** End (exclusive) of the last committed window. */
  collectedTo: string;
  /** The window length that last worked, ms. */
  windowMs: number;
  updatedAt: string;
}

/** The checkpoint of `key`, or null before the first committed window. */
export async function readCheckpoint(db: Kysely<Database>, key: CheckpointKey): Promise<Checkpoint | null> {
  const row = await db
    .selectFrom("ingest_checkpoint")
    .select(["collected_to", "window_ms", "updated_at"])
    .where("source", "=", key.source)
    .where("region", "=", key.region)
    .where("scope_id", "=", key.scopeId)
    .executeTakeFirst();
  return row ? { collectedTo: row.collected_to, windowMs: Number(row.window_ms), updatedAt: row.updated_at } : null;
}

/**
 * Moves the checkpoint of `key` to `collectedTo` (never backwards: an older value leaves the row
 * as it is, so two processes racing cannot undo each other) and remembers `windowMs`.
 */
export async function advanceCheckpoint(db: Kysely<Database>, key: CheckpointKey, collectedTo: string, windowMs: number, updatedAt: string): Promise<void> {
  await db
    .insertInto("ingest_checkpoint")
    .values({ source: key.source, region: key.region, scope_id: key.scopeId, collected_to: collectedTo, window_ms: windowMs, updated_at: updatedAt })
    .onConflict((oc) =>
      oc.columns(["source", "region", "scope_id"]).doUpdateSet((eb) => ({
        collected_to: eb.ref("excluded.collected_to"),
        window_ms: eb.ref("excluded.window_ms"),
        updated_at: eb.ref("excluded.updated_at"),
      })).where("ingest_checkpoint.collected_to", "<=", (eb) => eb.ref("excluded.collected_to")),
    )
    .execute();
}

/** Every checkpoint (for `keyproof status`-style listings and tests), ordered by source, region, scope. */
export async function listCheckpoints(db: Kysely<Database>): Promise<(CheckpointKey & Checkpoint)[]> {
  const rows = await db.selectFrom("ingest_checkpoint").selectAll().orderBy("source").orderBy("region").orderBy("scope_id").execute();
  return rows.map((r) => ({
    source: r.source as IngestSource, region: r.region, scopeId: r.scope_id,
    collectedTo: r.collected_to, windowMs: Number(r.window_ms), updatedAt: r.updated_at,
  }));
}

/** Status of a ledger window. "Not collected" is never a row: it is the minutes no collected row covers. */
export type CoverageStatus = "collected" | "failed";

/** One ledger row to record. */
export interface NewCoverageWindow extends CheckpointKey {
  importRunId: number;
  /** Inclusive, whole minute. */
  windowStart: string;
  /** Exclusive, whole minute. */
  windowEnd: string;
  status: CoverageStatus;
  /** OciFailureReason (throttled, authentication, not-authorized-or-not-found, pagination-stalled, ...) when failed. */
  reason: string | null;
  /** Human-readable detail (the error message; never a secret or raw input). */
  detail: string | null;
  pages: number;
  eventsRead: number;
  eventsStored: number;
  duplicates: number;
  opcRequestId: string | null;
  recordedAt: string;
}

/** A ledger row as read back. */
export interface CoverageWindow extends NewCoverageWindow {
  id: number;
}

/** Appends one ledger row (inside the window's transaction for a collected window). */
export async function insertCoverageWindow(db: Kysely<Database>, w: NewCoverageWindow): Promise<void> {
  await db
    .insertInto("coverage_window")
    .values({
      import_run_id: w.importRunId, source: w.source, region: w.region, scope_id: w.scopeId,
      window_start: w.windowStart, window_end: w.windowEnd, status: w.status, reason: w.reason, detail: w.detail,
      pages: w.pages, events_read: w.eventsRead, events_stored: w.eventsStored, duplicates: w.duplicates,
      opc_request_id: w.opcRequestId, recorded_at: w.recordedAt,
    })
    .execute();
}

function toCoverageWindow(r: Selectable<CoverageWindowTable>): CoverageWindow {
  return {
    id: r.id, importRunId: r.import_run_id, source: r.source as IngestSource, region: r.region, scopeId: r.scope_id,
    windowStart: r.window_start, windowEnd: r.window_end, status: r.status as CoverageStatus, reason: r.reason, detail: r.detail,
    pages: r.pages, eventsRead: r.events_read, eventsStored: r.events_stored, duplicates: r.duplicates,
    opcRequestId: r.opc_request_id, recordedAt: r.recorded_at,
  };
}

/**
 * Ledger rows overlapping [from, to) (windowStart < to and windowEnd > from), optionally of one
 * source, recorded at or before `recordedBy` (a pack reads the ledger as of its generation), ordered
 * by source, region, scope, windowStart, id.
 */
export async function listCoverageWindows(
  db: Kysely<Database>,
  filter: { from: string; to: string; source?: IngestSource; recordedBy?: string },
): Promise<CoverageWindow[]> {
  let q = db.selectFrom("coverage_window").selectAll().where("window_start", "<", filter.to).where("window_end", ">", filter.from);
  if (filter.source !== undefined) q = q.where("source", "=", filter.source);
  if (filter.recordedBy !== undefined) q = q.where("recorded_at", "<=", filter.recordedBy);
  const rows = await q.orderBy("source").orderBy("region").orderBy("scope_id").orderBy("window_start").orderBy("id").execute();
  return rows.map(toCoverageWindow);
}
