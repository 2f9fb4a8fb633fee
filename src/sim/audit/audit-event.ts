/**
 * The Audit v2 event in its ListEvents form (CloudEvents 0.1, OCI-NOTES §2.7), field order as in
 * the real sample and examples/audit-export-gen/envelopes.ts.
 */
export interface AuditIdentity {
  principalName: string | null;
  principalId: string | null;
  authType: string | null;
  callerName: string | null;
  callerId: string | null;
  tenantId: string;
  ipAddress: string | null;
  credentials: string | null;
  userAgent: string | null;
  consoleSessionId: string | null;
}

export interface AuditEventData {
  eventGroupingId: string | null;
  eventName: string;
  compartmentId: string;
  compartmentName: string | null;
  resourceName: string | null;
  resourceId: string | null;
  availabilityDomain: string | null;
  freeformTags: Record<string, string> | null;
  definedTags: Record<string, Record<string, unknown>> | null;
  identity: AuditIdentity;
  request: { id: string; path: string; action: string; parameters: Record<string, string[]>; headers: Record<string, string[]> };
  response: { status: string; responseTime: string; headers: Record<string, string[]>; payload: Record<string, unknown> | null; message: string | null };
  stateChange: { previous: unknown; current: unknown } | null;
  additionalDetails: Record<string, unknown> | null;
}

export interface AuditEvent {
  eventType: string;
  cloudEventsVersion: "0.1";
  eventTypeVersion: "2.0";
  source: string;
  eventId: string;
  eventTime: string;
  contentType: "application/json";
  data: AuditEventData;
}
