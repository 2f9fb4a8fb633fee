/**
 * Turns one served call into an Audit v2 event shaped like the real records (OCI-NOTES §2.7 and
 * ../shared/oci-samples): identity from the signing key, the request as received (Authorization
 * redacted to `signature="*****"` as real records show it), the response status and headers,
 * payload, stateChange and additionalDetails from the handler.
 */
import { randomUUID } from "node:crypto";
import type { AuditDetails } from "../sim-service.js";
import type { SimState, UserRecord } from "../state/sim-state.js";
import type { RequestIds } from "../http/request-ids.js";
import type { AuditEvent, AuditIdentity } from "./audit-event.js";

export interface CallForAudit {
  eventType: string;
  source: string;
  eventName: string;
  eventTimeMs: number;
  responseTimeMs: number;
  ids: RequestIds;
  /** Path as the service sees it (without the simulator's service prefix). */
  path: string;
  action: string;
  query: URLSearchParams;
  /** Raw header pairs as received (name casing kept). */
  requestHeaders: readonly [string, string][];
  status: number;
  responseHeaders: Record<string, string>;
  /** `response.message`: the error message on failure. */
  message: string | null;
  details: AuditDetails;
  principal: UserRecord | null;
  ipAddress: string | null;
  userAgent: string | null;
}

/** Authorization with the signature replaced by `*****`, as in real audit records. */
export function redactAuthorization(value: string): string {
  return value.replace(/signature="[^"]*"/i, 'signature="*****"');
}

function arrays(pairs: Iterable<[string, string]>, redact = false): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    const v = redact && name.toLowerCase() === "authorization" ? redactAuthorization(value) : value;
    (out[name] ??= []).push(v);
  }
  return out;
}

/** The identity block for a user calling with an API key. */
export function userIdentity(state: SimState, user: UserRecord | null, ipAddress: string | null, userAgent: string | null): AuditIdentity {
  return {
    principalName: user?.name ?? null,
    principalId: user?.id ?? null,
    authType: user ? "natv" : null,
    callerName: null,
    callerId: null,
    tenantId: state.tenancy.id,
    ipAddress,
    credentials: user?.keyId ?? null,
    userAgent,
    consoleSessionId: null,
  };
}

/** The name Audit shows for a compartment id (the tenancy's own name for the root). */
export function compartmentNameOf(state: SimState, id: string): string | null {
  if (id === state.tenancy.id) return state.tenancy.name;
  return state.compartments.get(id)?.name ?? null;
}

export function buildAuditEvent(state: SimState, call: CallForAudit): AuditEvent {
  const d = call.details;
  const ok = call.status < 400;
  const compartmentId = d.compartmentId ?? state.tenancy.id;
  const responseHeaders: Record<string, string> = {
    "Content-Type": "application/json",
    Date: new Date(call.responseTimeMs).toUTCString(),
    "X-Content-Type-Options": "nosniff",
    ...call.responseHeaders,
  };
  return {
    eventType: call.eventType,
    cloudEventsVersion: "0.1",
    eventTypeVersion: "2.0",
    source: call.source,
    eventId: randomUUID(),
    eventTime: new Date(call.eventTimeMs).toISOString(),
    contentType: "application/json",
    data: {
      eventGroupingId: call.ids.grouping,
      eventName: call.eventName,
      compartmentId,
      compartmentName: compartmentNameOf(state, compartmentId),
      resourceName: d.resourceName ?? null,
      resourceId: d.resourceId ?? null,
      availabilityDomain: "AD1",
      freeformTags: d.freeformTags ?? null,
      definedTags: d.definedTags ?? null,
      identity: userIdentity(state, call.principal, call.ipAddress, call.userAgent),
      request: {
        id: call.ids.full,
        path: call.path,
        action: call.action,
        parameters: arrays(call.query.entries()),
        headers: arrays(call.requestHeaders, true),
      },
      response: {
        status: String(call.status),
        responseTime: new Date(call.responseTimeMs).toISOString(),
        headers: arrays(Object.entries(responseHeaders)),
        payload: d.payload ?? (ok && d.resourceId !== undefined ? { id: d.resourceId, resourceName: d.resourceName ?? null } : null),
        message: call.message,
      },
      stateChange: d.stateChange === undefined ? { previous: null, current: null } : d.stateChange,
      additionalDetails: d.additionalDetails ?? null,
    },
  };
}
