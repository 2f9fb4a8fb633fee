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
  rotation_run: RotationRunTable;
  rotation_step: RotationStepTable;
  rotation_lease: RotationLeaseTable;
  rotation_slot: RotationSlotTable;
  rotation_rekey: RotationRekeyTable;
  ingest_checkpoint: IngestCheckpointTable;
  coverage_window: CoverageWindowTable;
  export_object: ExportObjectTable;
  snapshot_run: SnapshotRunTable;
  snapshot_item: SnapshotItemTable;
  snapshot_body: SnapshotBodyTable;
  archive_upload: ArchiveUploadTable;
}

export type AuditEventRow = Selectable<AuditEventTable>;
export type NewAuditEventRow = Insertable<AuditEventTable>;
export type ImportRunRow = Selectable<ImportRunTable>;
export type ImportFileRow = Selectable<ImportFileTable>;

/** One run of the rotation engine. */
export interface RotationRunTable {
  id: Generated<number>;
  started_at: string;
  finished_at: string | null;
  /** "running" | "succeeded" | "partial" | "failed" | "skipped". */
  status: string;
  /** "cli" | "schedule" | "http" | "test". */
  trigger: string;
  dry_run: number;
  /** Who ran it: `<hostname>:<pid>:<random>`; also the lease holder. */
  holder: string;
  /** `--key` OCID, when the run was limited to one key. */
  key_filter: string | null;
  /** JSON: counts by outcome, findings. */
  summary_json: string;
  error: string | null;
}

/** One OCI call (or decision) of a run, with attempts and OCI ids (evidence). */
export interface RotationStepTable {
  id: Generated<number>;
  run_id: number;
  key_id: string;
  slot: string | null;
  resource_id: string | null;
  /** OCI operation name (CreateKeyVersion, ReencryptBucket, ...) or a decision (Skip, LeaseBusy). */
  operation: string;
  /** "succeeded" | "failed" | "in-progress" | "skipped". */
  status: string;
  attempts: number;
  opc_request_id: string | null;
  work_request_id: string | null;
  detail_json: string;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface RotationLeaseTable {
  key_id: string;
  holder: string;
  run_id: number | null;
  acquired_at: string;
  expires_at: string;
}

/** Idempotency record of one due rotation (key + slot). */
export interface RotationSlotTable {
  key_id: string;
  slot: string;
  /** "key-version" | "successor-key". */
  strategy: string;
  /** The `opc-retry-token` sent with CreateKeyVersion / CreateKey (derived from key and slot). */
  retry_token: string;
  /** "started" | "rotated" (new version/successor exists) | "completed" | "failed". */
  status: string;
  first_run_id: number;
  new_key_version_id: string | null;
  successor_key_id: string | null;
  created_at: string;
  updated_at: string;
}

/** Re-key progress of one resource within a slot. */
export interface RotationRekeyTable {
  key_id: string;
  slot: string;
  resource_id: string;
  resource_kind: string;
  /** "pending" | "in-progress" | "succeeded" | "failed" | "not-eligible". */
  status: string;
  work_request_id: string | null;
  percent_complete: number | null;
  detail: string | null;
  updated_at: string;
}

/**
 * Ingestion sources of the coverage ledger and checkpoints: Audit ListEvents (per compartment),
 * Logging Search over `_Audit_Include_Subcompartment` (per root compartment), export-bucket objects.
 */
export type IngestSource = "audit-list-events" | "logging-search" | "export-bucket";

/** How far one (source, region, scope) has been collected; moves forward only, with its window. */
export interface IngestCheckpointTable {
  source: string;
  region: string;
  /** Compartment OCID (ListEvents) or root compartment OCID (Logging Search). */
  scope_id: string;
  /** End (exclusive) of the last committed window, canonical ISO UTC, whole minute. */
  collected_to: string;
  /** Window length that last worked (adaptive split, cases.md B04), ms. */
  window_ms: number;
  updated_at: string;
}

/** One window of the coverage ledger. */
export interface CoverageWindowTable {
  id: Generated<number>;
  import_run_id: number;
  source: string;
  region: string;
  scope_id: string;
  /** Inclusive, canonical ISO UTC, whole minute. */
  window_start: string;
  /** Exclusive. */
  window_end: string;
  /** "collected" | "failed". */
  status: string;
  /** OciFailureReason for failed windows (throttled, authentication, pagination-stalled, ...). */
  reason: string | null;
  detail: string | null;
  pages: number;
  events_read: number;
  events_stored: number;
  duplicates: number;
  /** opc-request-id of the last call made for the window. */
  opc_request_id: string | null;
  recorded_at: string;
}

/** An export-bucket object already imported (or rejected), by name and etag. */
export interface ExportObjectTable {
  namespace: string;
  bucket: string;
  object_name: string;
  etag: string;
  size_bytes: number;
  time_modified: string | null;
  import_run_id: number;
  /** "committed" | "rejected". */
  status: string;
  error: string | null;
  imported_at: string;
}

/** One snapshot of OCI state. */
export interface SnapshotRunTable {
  id: Generated<number>;
  started_at: string;
  /** The instant the snapshot stands for (when its reads started), canonical ISO UTC. */
  observed_at: string;
  finished_at: string | null;
  /** "running" | "succeeded" | "partial" | "failed". */
  status: string;
  region: string;
  /** JSON: compartments, vault compartments, tag selector. */
  scope_json: string;
  /** JSON: items per kind. */
  counts_json: string;
  /** JSON: string[] of reads that failed (reason, operation, id). */
  errors_json: string;
}

/**
 * What a snapshot saw of one object. kind: "vault" | "key" | "key-version" | "resource" |
 * "volume-backup" | "audit-configuration" | "retention-rule".
 */
export interface SnapshotItemTable {
  id: Generated<number>;
  snapshot_run_id: number;
  observed_at: string;
  kind: string;
  ocid: string;
  /** Key of a key version, vault of a key, bucket of a retention rule, volume of a backup. */
  parent_id: string | null;
  compartment_id: string | null;
  lifecycle_state: string | null;
  body_sha256: string;
}

/** Snapshot bodies, once per content (sha256 of the RFC 8785 form). */
export interface SnapshotBodyTable {
  sha256: string;
  body_json: string;
}

/** One monthly archive written to the mirror bucket. */
export interface ArchiveUploadTable {
  id: Generated<number>;
  /** "YYYY-MM". */
  month: string;
  namespace: string;
  bucket: string;
  object_name: string;
  sha256: string;
  size_bytes: number;
  events: number;
  max_seq: number;
  etag: string | null;
  opc_request_id: string | null;
  uploaded_at: string;
}
