/**
 * The mapping from a normalised audit event to its `audit_event` row, the column order both
 * writers use, and the hash-chain step (DESIGN §4).
 */
import { createHash } from "node:crypto";
import type { NormalizedAuditEvent } from "../ingest/audit-event.js";
import type { AuditEventTable } from "./schema.js";

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

export type AuditEventInsertRow = { [K in (typeof AUDIT_EVENT_INSERT_COLUMNS)[number]]: AuditEventTable[K] };

/** Where and when rows are written: the import run they belong to and the write instant (ISO UTC). */
export interface AuditEventWriteContext {
  importRunId: number;
  storedAt: string;
}

/**
 * The next link of the hash chain: hex sha256 of `previous + ":" + contentSha256`, where
 * `previous` is the chain value of the row before in seq order ("" before the first row).
 */
export function nextChainSha256(previous: string, contentSha256: string): string {
  return createHash("sha256").update(`${previous}:${contentSha256}`, "utf8").digest("hex");
}

/** The row for `event`; `event_name` is lower-cased for case-insensitive correlation (OCI-NOTES §2.7). */
export function toAuditEventRow(
  event: NormalizedAuditEvent,
  ctx: AuditEventWriteContext,
  chainSha256: string,
  conflictOfSeq: number | null,
): AuditEventInsertRow {
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
