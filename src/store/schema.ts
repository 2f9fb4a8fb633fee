/**
 * Table types, declared once (STYLE §6). Every instant column holds ISO-8601 UTC text with ms and
 * `Z`; booleans are 0/1 integers; JSON is text. Column names are snake_case in SQL and here.
 */
import type { Generated, Insertable, Selectable } from "kysely";

/** One stored audit record. Append-only: ingestion never updates or deletes a row. */
export interface AuditEventTable {
  /** Ingestion order (1, 2, 3, ...); the hash chain follows it. */
  seq: Generated<number>;
  event_id: string;
  /** SHA-256 hex of the RFC 8785 canonical form of the audit record in `raw_json` (unwrapped from a `{datetime, logContent}` or SearchLogs wrapper). */
  content_sha256: string;
  /** sha256(previous chain_sha256 + ":" + content_sha256), "" before the first row. */
  chain_sha256: string;
  event_time: string;
  ingested_time: string | null;
  event_type: string;
  /** Lower-cased event name, for case-insensitive correlation. */
  event_name: string;
  source: string | null;
  envelope: string;
  compartment_id: string | null;
  compartment_name: string | null;
  resource_id: string | null;
  resource_name: string | null;
  principal_id: string | null;
  principal_name: string | null;
  auth_type: string | null;
  request_id: string | null;
  request_action: string | null;
  request_path: string | null;
  response_status: string | null;
  event_grouping_id: string | null;
  tenant_id: string | null;
  region_id: string | null;
  /** seq of the first stored row with the same event_id and different content; null if none. */
  conflict_of_seq: number | null;
  import_run_id: number;
  stored_at: string;
  raw_json: string;
}

/** One run of `keyproof ingest` (or of a scheduled ingestion). */
export interface ImportRunTable {
  id: Generated<number>;
  /** "file" | "audit" | "logging" | "bucket". */
  source: string;
  started_at: string;
  finished_at: string | null;
  /** "running" | "succeeded" | "partial" | "failed". */
  status: string;
  files_total: number;
  files_rejected: number;
  records_read: number;
  records_stored: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
  /** JSON array of `file:line: message` strings (first 1000). */
  errors_json: string;
}

/** One input file of an import run: what it held and whether it was committed. */
export interface ImportFileTable {
  id: Generated<number>;
  import_run_id: number;
  path: string;
  size_bytes: number;
  sha256: string | null;
  /** "committed" | "rejected". */
  status: string;
  records_read: number;
  records_stored: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
  error: string | null;
  finished_at: string;
}

export interface Database {
  audit_event: AuditEventTable;
  import_run: ImportRunTable;
  import_file: ImportFileTable;
}

export type AuditEventRow = Selectable<AuditEventTable>;
export type NewAuditEventRow = Insertable<AuditEventTable>;
export type ImportRunRow = Selectable<ImportRunTable>;
export type ImportFileRow = Selectable<ImportFileTable>;
