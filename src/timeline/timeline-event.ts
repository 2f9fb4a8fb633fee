/**
 * The minimal input of {@link buildTimelines}: a few columns every stored audit row has, plus the
 * parsed original record, from which the correlation reads paths, payloads and stateChange.
 */
import type { StoredAuditEvent } from "../store/audit-events.js";

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
 * Adapts a stored row. `rawJson` is parsed here; text that is not JSON gives `raw: null`, and the
 * event is still classified from its columns as far as they allow (never throws).
 */
export function timelineEventFromStored(event: StoredAuditEvent): TimelineEvent {
  let raw: unknown = null;
  try {
    raw = JSON.parse(event.rawJson);
  } catch {
    raw = null;
  }
  return {
    eventId: event.eventId,
    eventTime: event.eventTime,
    eventType: event.eventType,
    eventName: event.eventName,
    resourceId: event.resourceId,
    resourceName: event.resourceName,
    compartmentId: event.compartmentId,
    compartmentName: event.compartmentName,
    principalId: event.principalId,
    principalName: event.principalName,
    responseStatus: event.responseStatus,
    requestId: event.requestId,
    raw,
  };
}
