/**
 * The one normalised shape of an audit record, whatever envelope it came in (OCI-NOTES §2.7, §2.8,
 * §5 item 12): Audit ListEvents (CloudEvents 0.1), Logging / Service Connector (CloudEvents 1.0),
 * the Console/Search `{datetime, logContent}` wrapper, Events-service messages and Vault crypto
 * service logs. All instants are ISO-8601 UTC with ms and `Z`.
 */

/** Which envelope a record arrived in. */
export type AuditEnvelope =
  | "audit-listevents" // CloudEvents 0.1, `eventId`, `eventTime` (Audit API)
  | "logging-cloudevents" // CloudEvents 1.0, `id`, `time`, `oracle.ingestedtime` (_Audit log)
  | "events-service" // CloudEvents 0.1 Events-service message, `eventID`
  | "service-log"; // CloudEvents 1.0 service log that is not _Audit (e.g. Vault crypto operations)

export interface NormalizedAuditEvent {
  /** `eventId` (API), `id` (Logging) or `eventID` (Events service). */
  eventId: string;
  /** When the call happened (`eventTime` / `time`), ISO UTC. */
  eventTime: string;
  /** When OCI processed/ingested it (`oracle.ingestedtime`), ISO UTC; null when the envelope has none. */
  ingestedTime: string | null;
  /** `com.oraclecloud.<Service>.<Operation>` as OCI spelled it (case varies by service). */
  eventType: string;
  /** `data.eventName`, or the last segment of the type when the record has none. */
  eventName: string;
  /** Envelope `source` (service name in the API form, resource name in the Logging form). */
  source: string | null;
  envelope: AuditEnvelope;
  compartmentId: string | null;
  compartmentName: string | null;
  resourceId: string | null;
  resourceName: string | null;
  principalId: string | null;
  principalName: string | null;
  /** `data.identity.authType` (natv, fed, instance, resource, ...). */
  authType: string | null;
  /** `data.request.id` (OCI's request id, includes the opc-request-id). */
  requestId: string | null;
  /** `data.request.action` (GET, POST, PUT, ...). */
  requestAction: string | null;
  /** `data.request.path`. */
  requestPath: string | null;
  /** `data.response.status` as text ("200"); null when absent. */
  responseStatus: string | null;
  eventGroupingId: string | null;
  tenantId: string | null;
  regionId: string | null;
  /** The record exactly as read (the whole wrapper when there was one). */
  raw: unknown;
  /**
   * The record's JSON text as read (key order, spacing and escapes kept; surrounding whitespace
   * trimmed). When the record was cut out of a larger value (a SearchLogs `results[i].data`) or
   * built in code, `JSON.stringify(raw)`. Stored as `raw_json`.
   */
  rawJson: string;
  /** SHA-256 (hex) of the RFC 8785 canonical JSON of `raw`. */
  contentSha256: string;
}
