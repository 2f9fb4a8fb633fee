/**
 * The minimal input of {@link buildTimelines}: a few columns every stored audit row has, plus the
 * parsed original record, from which the correlation reads paths, payloads and stateChange.
 */
import type { AuditEventRow } from "../store/schema.js";

export interface TimelineEvent {
  /** Audit event id (`eventId` / `id` / `eventID`). Events without one are skipped. */
  eventId: string;
  /** When the call happened, ISO-8601 (any offset; normalised to UTC by the builder). */
  eventTime: string;
  /** `com.oraclecloud.<Service>.<Operation>` as OCI spelled it. */
  eventType: string;
  /** `data.eventName` in any case; empty means "use the last segment of the type". */
  eventName: string;
  resourceId: string | null;
  resourceName: string | null;
  compartmentId: string | null;
  compartmentName: string | null;
  principalId: string | null;
  principalName: string | null;
  /** HTTP status as text ("200"); null when the record has none (e.g. Events-service messages). */
  responseStatus: string | null;
  /** `data.request.id`. */
  requestId: string | null;
  /** The original record as parsed, in whatever envelope it arrived; null when it was unreadable. */
  raw: unknown;
}

/**
 * Adapts a stored row. `raw_json` is parsed here; text that is not JSON gives `raw: null`, and the
 * event is still classified from its columns as far as they allow (never throws).
 */
export function timelineEventFromRow(row: AuditEventRow): TimelineEvent {
  let raw: unknown = null;
  try {
    raw = JSON.parse(row.raw_json);
  } catch {
    raw = null;
  }
  return {
    eventId: row.event_id,
    eventTime: row.event_time,
    eventType: row.event_type,
    eventName: row.event_name,
    resourceId: row.resource_id,
    resourceName: row.resource_name,
    compartmentId: row.compartment_id,
    compartmentName: row.compartment_name,
    principalId: row.principal_id,
    principalName: row.principal_name,
    responseStatus: row.response_status,
    requestId: row.request_id,
    raw,
  };
}
