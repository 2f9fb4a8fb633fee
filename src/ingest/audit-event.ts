/**
 * The one normalised shape of an audit record, whatever envelope it came in (OCI-NOTES §2.7, §2.8,
 * §5 item 12): Audit ListEvents (CloudEvents 0.1), Logging / Service Connector (CloudEvents 1.0),
 * the Console/Search `{datetime, logContent}` wrapper, Events-service messages and Vault crypto
 * service logs. All instants are ISO-8601 UTC with ms and `Z`.
 */
import type { NewAuditEvent } from "../store/audit-event-row.js";

export type { NewAuditEvent } from "../store/audit-event-row.js";

/** Which envelope a record arrived in. */
export type AuditEnvelope =
  | "audit-listevents" // CloudEvents 0.1, `eventId`, `eventTime` (Audit API)
  | "logging-cloudevents" // CloudEvents 1.0, `id`, `time`, `oracle.ingestedtime` (_Audit log)
  | "events-service" // CloudEvents 0.1 Events-service message, `eventID`
  | "service-log"; // CloudEvents 1.0 service log that is not _Audit (e.g. Vault crypto operations)

/**
 * A normalised record: what the store appends ({@link NewAuditEvent}, owned by src/store, DESIGN §2)
 * plus the parsed record for callers that read more fields.
 */
export interface NormalizedAuditEvent extends NewAuditEvent {
  envelope: AuditEnvelope;
  /** The record exactly as read (the whole wrapper when there was one). */
  raw: unknown;
  /**
   * The record's JSON text as read (key order, spacing and escapes kept; surrounding whitespace
   * trimmed), wrapper included. When the record was cut out of a larger value (a SearchLogs
   * `results[i].data`) or built in code, `JSON.stringify(raw)`. Stored as `raw_json`.
   */
  rawJson: string;
  /**
   * SHA-256 (hex) of the RFC 8785 canonical JSON of the UNWRAPPED audit record: the CloudEvents
   * object itself, i.e. `logContent` of a Console/Search wrapper, never the wrapper (see
   * `auditRecordContentSha256` in src/store/audit-event-row.ts). The same event read bare, wrapped,
   * or from a SearchLogs response has one hash, so a second copy is a duplicate, not a conflict.
   */
  contentSha256: string;
}
