/**
 * Audit records for work a service finishes after the call that started it (a work request ending,
 * a scheduled action): the record carries the `eventGroupingId` of the starting call, so the pair
 * reads as OCI's begin/end records of a long-running operation (OCI-NOTES §2.7).
 */
import type { AuditDetails, SimRuntime } from "../sim-service.js";
import type { UserRecord } from "../state/sim-state.js";
import { buildAuditEvent } from "./build-audit-event.js";

export interface BackgroundAuditEvent {
  /** Full event type, e.g. `com.oraclecloud.objectstorage.reencryptbucket.end`. */
  eventType: string;
  source: string;
  eventName: string;
  /** Event time (simulator ms). */
  timeMs: number;
  /** `eventGroupingId` of the call that started the work. */
  eventGroupingId: string;
  path: string;
  action: string;
  /** HTTP-like outcome: 200 for success, 500 for a failure. */
  status: number;
  message: string | null;
  details: AuditDetails;
  /** The principal that started the work (null: the service itself). */
  principal: UserRecord | null;
}

/** Appends one record linked to an earlier call by its eventGroupingId. */
export function appendBackgroundEvent(rt: SimRuntime, e: BackgroundAuditEvent): void {
  const ids = { client: e.eventGroupingId, full: `${e.eventGroupingId}/${e.eventType.split(".").at(-1)}`, grouping: e.eventGroupingId };
  rt.audit.append(buildAuditEvent(rt.state, {
    eventType: e.eventType, source: e.source, eventName: e.eventName, eventTimeMs: e.timeMs, responseTimeMs: e.timeMs + 1, ids,
    path: e.path, action: e.action, query: new URLSearchParams(), requestHeaders: [], status: e.status, responseHeaders: {},
    message: e.message, details: e.details, principal: e.principal, ipAddress: null, userAgent: null,
  }));
}
