/**
 * Read-backs of a volume's or boot volume's Vault key (`GetVolumeKmsKey` / `GetBootVolumeKmsKey`):
 * the proof DESIGN §3 rule 5 asks for after an `UpdateVolumeKmsKey` / `UpdateBootVolumeKmsKey`
 * ("followed by a read-back showing it"). They are never timeline entries themselves; the builder
 * uses them to turn a 2xx update into `succeeded` (or `failed`, when the key read back differs).
 */
import { operationOf } from "./classify-event.js";
import { viewOf, volumeIdOf } from "./extract-ids.js";
import { asText, auditData, has, type Obj } from "./record-fields.js";
import type { TimelineEvent } from "./timeline-event.js";

/** What one read-back record shows. */
export interface ReadBack {
  subjectKind: "volume" | "boot-volume";
  /** The volume or boot volume OCID. */
  volumeId: string;
  /** The key the record shows; null = an explicit `kmsKeyId: null` (Oracle-managed key). */
  kmsKeyId: string | null;
}

const READ_BACK_OPS: Record<string, boolean> = { getvolumekmskey: false, getbootvolumekmskey: true };

/**
 * The kmsKeyId a block shows: a non-blank string, or null for an explicit null / "" (Oracle-managed);
 * undefined when the block has no kmsKeyId or it is not a string.
 */
function shownKey(obj: Obj | null): string | null | undefined {
  if (!has(obj, "kmsKeyId")) return undefined;
  const value = obj!.kmsKeyId;
  if (value === null) return null;
  if (typeof value !== "string") return undefined;
  return asText(value);
}

/**
 * The read-back an event is, or null. Counts only a `GetVolumeKmsKey` / `GetBootVolumeKmsKey`
 * record with a 2xx status that names its volume (as an update names it: path `/volumes/{id}` /
 * `/bootVolumes/{id}`, or a volume OCID in resourceId / payload) and shows a kmsKeyId in `response.payload`, else in
 * `stateChange.current`, else in `additionalDetails`. A record without a kmsKeyId (OCI's usual
 * read-record payload `{id, resourceName}`, which is also what the simulator records) proves
 * nothing and gives null.
 */
export function readBackOf(event: TimelineEvent): ReadBack | null {
  const op = operationOf(asText(event.eventName) ?? "", asText(event.eventType) ?? "");
  const boot = READ_BACK_OPS[op];
  if (boot === undefined) return null;
  const status = asText(event.responseStatus);
  if (status === null || !/^2\d\d$/.test(status)) return null;
  const view = viewOf(auditData(event.raw), asText(event.resourceId));
  // The same reader as the update's, so an update and its read-back name the volume alike.
  const volumeId = volumeIdOf(view, boot);
  if (volumeId === null) return null;
  let kmsKeyId = shownKey(view.payload);
  if (kmsKeyId === undefined) kmsKeyId = shownKey(view.current);
  if (kmsKeyId === undefined) kmsKeyId = shownKey(view.details);
  if (kmsKeyId === undefined) return null;
  return { subjectKind: boot ? "boot-volume" : "volume", volumeId, kmsKeyId };
}
