/**
 * What the audit-event writers take ({@link NewAuditEvent}), the mapping to its `audit_event` row,
 * the column order both writers use, the content hash that identifies a record and the hash-chain
 * step (DESIGN §4). The store owns these types; src/ingest maps its records to them (DESIGN §2).
 */
import { createHash } from "node:crypto";
import { canonicalSha256 } from "./canonical-json.js";
import type { AuditEventTable } from "./schema.js";

/**
 * One audit event to append: the columns of an `audit_event` row, camelCased, without what the
 * writer fills in (seq, chain, conflict flag, import run, write instant). Instants are canonical
 * ISO-8601 UTC text with milliseconds and `Z`; the writer rejects any other form.
 */
export interface NewAuditEvent {
  /** `eventId` (API), `id` (Logging) or `eventID` (Events service). */
  eventId: string;
  /** When the call happened, canonical ISO UTC (`2025-03-30T01:30:00.000Z`). */
  eventTime: string;
  /** When OCI ingested it, canonical ISO UTC; null when the envelope has none. */
  ingestedTime: string | null;
  eventType: string;
  /** Stored lower-cased. */
  eventName: string;
  source: string | null;
  /** Which envelope the record arrived in (`audit-listevents`, `logging-cloudevents`, ...). */
  envelope: string;
  compartmentId: string | null;
  compartmentName: string | null;
  resourceId: string | null;
  resourceName: string | null;
  principalId: string | null;
  principalName: string | null;
  authType: string | null;
  requestId: string | null;
  requestAction: string | null;
  requestPath: string | null;
  responseStatus: string | null;
  eventGroupingId: string | null;
  tenantId: string | null;
  regionId: string | null;
  /** The JSON text exactly as read, wrapper included (`{datetime, logContent}`); stored as `raw_json`. */
  rawJson: string;
  /**
   * The record's identity for exactly-once: {@link auditRecordContentSha256} of the value read,
   * i.e. the hash of the UNWRAPPED audit record (the CloudEvents object itself). The same event read
   * bare, in the Console/Search wrapper or in a SearchLogs response has the same hash, so it is a
   * duplicate, not a conflict; `raw_json` still keeps whichever form was read.
   */
  contentSha256: string;
}

/**
 * The audit record inside a value as read: `logContent` of the Console/Search wrapper
 * `{datetime, logContent, ...}` (parsed when it is JSON text), else the value itself. Returns
 * the unparsable text as is (the caller then sees a non-object).
 */
export function unwrapAuditRecord(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value) || !("logContent" in value)) return value;
  const inner = (value as { logContent: unknown }).logContent;
  if (typeof inner !== "string") return inner;
  try {
    return JSON.parse(inner) as unknown;
  } catch {
    return inner;
  }
}

/**
 * `content_sha256` of a stored record: SHA-256 (hex) of the RFC 8785 canonical JSON of the
 * unwrapped audit record ({@link unwrapAuditRecord}) of `raw`, the parsed `raw_json`. Wrapper
 * fields (`datetime`, `regionId`) are not part of a record's identity. Throws a TypeError for a
 * value JSON cannot hold.
 */
export function auditRecordContentSha256(raw: unknown): string {
  return canonicalSha256(unwrapAuditRecord(raw));
}

/** Every inserted column, in statement order (`seq` is generated). */
export const AUDIT_EVENT_INSERT_COLUMNS = [
  "event_id",
  "content_sha256",
  "chain_sha256",
  "event_time",
  "ingested_time",
  "event_type",
  "event_name",
  "source",
  "envelope",
  "compartment_id",
  "compartment_name",
  "resource_id",
  "resource_name",
  "principal_id",
  "principal_name",
  "auth_type",
  "request_id",
  "request_action",
  "request_path",
  "response_status",
  "event_grouping_id",
  "tenant_id",
  "region_id",
  "conflict_of_seq",
  "import_run_id",
  "stored_at",
  "raw_json",
] as const satisfies ReadonlyArray<Exclude<keyof AuditEventTable, "seq">>;

/**
 * The columns that identify one audit event whatever envelope carried it. OCI hands the same event
 * out as a ListEvents item (CloudEvents 0.1) and as an `_Audit` log record (CloudEvents 1.0, also in
 * Service Connector exports) with the same id but different JSON, so different content hashes. A
 * record whose id is stored in ANOTHER envelope with these columns equal is that event again: a
 * duplicate, not a conflict. Equal ids with any of these different stay conflicts.
 */
export const SAME_EVENT_COLUMNS = ["event_time", "event_name", "resource_id", "request_id", "response_status"] as const;

/** Whether `a` is the same event as `b` carried in another envelope (see {@link SAME_EVENT_COLUMNS}). */
export function isSameEventOtherEnvelope(
  a: Pick<AuditEventTable, "envelope" | (typeof SAME_EVENT_COLUMNS)[number]>,
  b: Pick<AuditEventTable, "envelope" | (typeof SAME_EVENT_COLUMNS)[number]>,
): boolean {
  return a.envelope !== b.envelope && SAME_EVENT_COLUMNS.every((c) => a[c] === b[c]);
}

export type AuditEventInsertRow = { [K in (typeof AUDIT_EVENT_INSERT_COLUMNS)[number]]: AuditEventTable[K] };

/** Where and when rows are written: the import run they belong to and the write instant (ISO UTC). */
export interface AuditEventWriteContext {
  importRunId: number;
  storedAt: string;
}

/**
 * The next link of the hash chain: hex sha256 of `previous + ":" + contentSha256 + ":" +
 * sha256(rawJson)`, where `previous` is the chain value of the row before in seq order ("" before
 * the first row). The content hash identifies the audit record (wrapper excluded, for dedupe); the
 * raw-text hash makes any later edit of the stored text, wrapper included, break the chain.
 */
export function nextChainSha256(previous: string, contentSha256: string, rawJson: string): string {
  const rawSha256 = createHash("sha256").update(rawJson, "utf8").digest("hex");
  return createHash("sha256").update(`${previous}:${contentSha256}:${rawSha256}`, "utf8").digest("hex");
}

// The one form of every instant column (DESIGN §4): range queries compare text, so a single
// `2025-03-30 01:30:00` or `...T01:30:00Z` among canonical rows would sort wrongly (cases.md B28).
const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Throws a TypeError unless `value` is canonical ISO-8601 UTC text with ms and `Z`
 * (`2025-03-30T01:30:00.000Z`), naming `column`. Not for user input: a failure is a bug upstream.
 */
export function assertCanonicalInstant(value: unknown, column: string): asserts value is string {
  if (typeof value === "string" && CANONICAL_INSTANT.test(value)) return;
  // A time-like value is shown (it helps find the bug and cannot be a secret); anything else is described.
  const got =
    typeof value === "string"
      ? /^[0-9T:.+\- Z]{1,40}$/.test(value)
        ? JSON.stringify(value)
        : `a string of ${value.length} characters`
      : value instanceof Date
        ? "a Date"
        : typeof value;
  throw new TypeError(`${column}: expected canonical ISO-8601 UTC text with milliseconds and Z (like 2025-03-30T01:30:00.000Z), got ${got}`);
}

/**
 * The row for `event`; `event_name` is lower-cased for case-insensitive correlation (OCI-NOTES §2.7).
 * Throws a TypeError when an instant is not canonical text, so no other format (a Date, a number,
 * text without ms) ever reaches a time column.
 */
export function toAuditEventRow(
  event: NewAuditEvent,
  ctx: AuditEventWriteContext,
  chainSha256: string,
  conflictOfSeq: number | null,
): AuditEventInsertRow {
  assertCanonicalInstant(event.eventTime, "audit_event.event_time");
  if (event.ingestedTime !== null) assertCanonicalInstant(event.ingestedTime, "audit_event.ingested_time");
  return {
    event_id: event.eventId,
    content_sha256: event.contentSha256,
    chain_sha256: chainSha256,
    event_time: event.eventTime,
    ingested_time: event.ingestedTime,
    event_type: event.eventType,
    event_name: event.eventName.toLowerCase(),
    source: event.source,
    envelope: event.envelope,
    compartment_id: event.compartmentId,
    compartment_name: event.compartmentName,
    resource_id: event.resourceId,
    resource_name: event.resourceName,
    principal_id: event.principalId,
    principal_name: event.principalName,
    auth_type: event.authType,
    request_id: event.requestId,
    request_action: event.requestAction,
    request_path: event.requestPath,
    response_status: event.responseStatus,
    event_grouping_id: event.eventGroupingId,
    tenant_id: event.tenantId,
    region_id: event.regionId,
    conflict_of_seq: conflictOfSeq,
    import_run_id: ctx.importRunId,
    stored_at: ctx.storedAt,
    raw_json: event.rawJson,
  };
}
