/**
 * The audit events keyproof keeps when `config.ingest.events` is "relevant" (issue 5): the
 * operations the timelines classify (src/timeline/classify-event.ts: keys, key versions,
 * auto-rotation, volume and boot-volume key moves, buckets), the key read-backs that verify a
 * volume move (src/timeline/read-back.ts) and the Audit retention change (UpdateConfiguration,
 * evidence for PCI DSS 10.5.1). Everything else (ListVaults, GetNamespace, ...) is read, counted
 * and dropped. Operation names are compared the way the timelines compare them
 * ({@link operationOf}: lower case, separators removed), so `CreateKeyVersion`, `createkeyversion`
 * and an Events-service type all match.
 */
import { operationOf } from "../../timeline/classify-event.js";

/** The operations as OCI's Audit spells `data.eventName` for them (OCI API operation names). */
export const RELEVANT_EVENT_NAMES = [
  // KMS keys and key versions (timelines).
  "CreateKey", "ImportKey", "UpdateKey", "EnableKey", "DisableKey", "ScheduleKeyDeletion", "CancelKeyDeletion",
  "CreateKeyVersion", "ImportKeyVersion", "ScheduleKeyVersionDeletion", "CancelKeyVersionDeletion", "AutoKeyRotate",
  // Block Volume key moves (timelines) and their read-backs (rule 5 proof).
  "UpdateVolumeKmsKey", "DeleteVolumeKmsKey", "UpdateBootVolumeKmsKey", "DeleteBootVolumeKmsKey",
  "GetVolumeKmsKey", "GetBootVolumeKmsKey",
  // Object Storage buckets (timelines).
  "CreateBucket", "UpdateBucket", "ReencryptBucket",
  // Audit retention setting.
  "UpdateConfiguration",
] as const;

/** Events-service types of native auto-rotation, which carry no API event name of their own. */
export const RELEVANT_EVENT_TYPES = [
  "com.oraclecloud.keymanagementservice.autokeyrotate.begin",
  "com.oraclecloud.keymanagementservice.autokeyrotate.end",
] as const;

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");

const RELEVANT_OPERATIONS: ReadonlySet<string> = new Set([
  ...RELEVANT_EVENT_NAMES.map(squash),
  ...RELEVANT_EVENT_TYPES.map((t) => operationOf("", t)),
]);

/** True when an event with this name and type is one keyproof keeps in "relevant" mode. */
export function isRelevantAuditEvent(eventName: string, eventType: string): boolean {
  return RELEVANT_OPERATIONS.has(operationOf(eventName, eventType));
}

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * The Logging Search filter for the relevant events: `data.eventName` in each name as OCI spells
 * it and in lower case (Events-service records are lower case, OCI-NOTES §2.7; Logging compares
 * text exactly), or one of the auto-rotation types. The same events are checked again with
 * {@link isRelevantAuditEvent} after the read, so the filter only has to be wide enough.
 */
export function relevantLoggingFilter(): string {
  const names = [...new Set(RELEVANT_EVENT_NAMES.flatMap((n) => [n, n.toLowerCase()]))];
  const clauses = [...names.map((n) => `data.eventName = ${quote(n)}`), ...RELEVANT_EVENT_TYPES.map((t) => `type = ${quote(t)}`)];
  return `(${clauses.join(" or ")})`;
}
