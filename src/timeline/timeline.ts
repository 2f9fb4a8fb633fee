/**
 * Timeline shapes (DESIGN §2 `src/timeline/`): per-key and per-resource histories correlated from
 * stored audit events. Pure data; every entry names the audit event that proves it.
 */

/** What a timeline is about. A volume-key lineage is shown on each key of the chain. */
export type SubjectKind = "key" | "volume" | "boot-volume" | "bucket";

/**
 * The outcome an audit record can prove on its own. `accepted` = OCI took the request (HTTP 202,
 * a work request was started) but the record does not prove it finished (DESIGN §3 rule 5:
 * an HTTP 200 or 202 alone is not proof of a re-key).
 */
export type EntryOutcome = "succeeded" | "accepted" | "failed" | "unknown";

export type TimelineAction =
  | "key.created"
  | "key.updated"
  | "key.enabled"
  | "key.disabled"
  | "key.deletion-scheduled"
  | "key.deletion-cancelled"
  | "key.version-created"
  | "key.version-deletion-scheduled"
  | "key.version-deletion-cancelled"
  | "key.auto-rotation-started"
  | "key.auto-rotation-finished"
  | "volume.kms-key-updated"
  | "boot-volume.kms-key-updated"
  | "bucket.created"
  | "bucket.kms-key-updated"
  | "bucket.updated"
  | "bucket.reencrypt-requested";

export interface TimelineEntry {
  /** Event time, ISO-8601 UTC with ms. */
  time: string;
  action: TimelineAction;
  /** Who did it: principal name, else principal id; null when the record has neither. */
  actor: string | null;
  outcome: EntryOutcome;
  /** HTTP status OCI answered, as text ("200"); null when the record has none. */
  responseStatus: string | null;
  /** The key the action refers to (the new key for a KMS-key update), when known. */
  keyId: string | null;
  /** The key version, when the record names one (e.g. CreateKeyVersion's new version). */
  keyVersionId: string | null;
  /** Work request id for asynchronous operations (ReencryptBucket), when the record has it. */
  workRequestId: string | null;
  /** Human detail, e.g. "kmsKeyId ocid1.key... → ocid1.key..."; untrusted text. */
  detail: string | null;
  /** The evidence: the audit event id and its type. */
  eventId: string;
  eventType: string;
  /** OCI request id (`data.request.id`). */
  requestId: string | null;
}

export interface Timeline {
  subjectKind: SubjectKind;
  /** Key OCID, volume / boot-volume OCID, or bucket as `/n/{namespace}/b/{name}` or its OCID. */
  subjectId: string;
  /** Last display name seen in the events, if any (untrusted text). */
  displayName: string | null;
  compartmentId: string | null;
  compartmentName: string | null;
  /** Entries in time order (then event id, for a stable order). */
  entries: TimelineEntry[];
}
