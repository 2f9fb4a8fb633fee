/**
 * Timeline shapes (DESIGN §2 `src/timeline/`): per-key and per-resource histories correlated from
 * stored audit events. Pure data; every entry names the audit event that proves it.
 */

/** What a timeline is about. A volume-key lineage is shown on each key of the chain. */
export type SubjectKind = "key" | "volume" | "boot-volume" | "bucket";

/**
 * The outcome the audit records prove. `accepted` = OCI took the request but the records do not
 * prove it took effect: an HTTP 202 (a work request was started), or a 2xx on a volume /
 * boot-volume KMS key update without a matching read-back (DESIGN §3 rule 5: an HTTP 200 or 202
 * alone is not proof of a re-key). A 2xx KMS key update becomes `succeeded` when a read-back
 * (`GetVolumeKmsKey` / `GetBootVolumeKmsKey`) shows its new key (see `verifiedBy`), and `failed`
 * when the first read-back after it shows another key.
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
  /** On a predecessor key's timeline: a successor key naming it in its `predecessor` tag was created. */
  | "key.successor-created"
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
  /**
   * The key the action refers to, when known: the subject key for key actions; the successor for
   * `key.successor-created`; the new key for a KMS-key update (null when the resource went back to
   * an Oracle-managed key or the record does not name it, e.g. a failed UpdateVolumeKmsKey); for
   * ReencryptBucket, the bucket's key as last set by an earlier bucket event in the same input.
   */
  keyId: string | null;
  /**
   * The key being replaced, when the record shows it: the resource's former key for a KMS-key
   * update; the predecessor (from the successor's `predecessor` tag) for `key.created` /
   * `key.successor-created`.
   */
  previousKeyId: string | null;
  /** The volume, boot volume or bucket the entry is about (on a key's timeline: which resource); null for key-only actions. */
  resourceId: string | null;
  /** The key version, when the record names one (e.g. CreateKeyVersion's new version). */
  keyVersionId: string | null;
  /** Work request id for asynchronous operations (ReencryptBucket), when the record has it. */
  workRequestId: string | null;
  /**
   * Deletion entries (key or key version): the `timeOfDeletion` OCI answered when scheduling, or
   * the one a cancellation cancelled (from stateChange.previous), ISO UTC; null otherwise.
   */
  timeOfDeletion: string | null;
  /**
   * The read-back that proves a volume / boot-volume KMS key update (DESIGN §3 rule 5): the
   * `GetVolumeKmsKey` / `GetBootVolumeKmsKey` audit event (2xx, same volume, at or after the update,
   * within the read-back window) whose recorded kmsKeyId is the update's new key. Null for every
   * other entry, and for an update that is not (or not yet) read back.
   */
  verifiedBy: { eventId: string; time: string } | null;
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
  /** Last display name seen in the subject's own events, if any (untrusted text). */
  displayName: string | null;
  compartmentId: string | null;
  compartmentName: string | null;
  /** Keys only: the predecessor named by this key's `predecessor` tag (volume lineage); null otherwise. */
  predecessorKeyId: string | null;
  /** Keys only: successor keys that name this key as predecessor, in creation order; [] otherwise. */
  successorKeyIds: string[];
  /** Entries in time order (then event id, for a stable order). */
  entries: TimelineEntry[];
}
