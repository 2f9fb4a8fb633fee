/**
 * Classifies one audit event into a timeline action about one subject (a key, volume, boot volume
 * or bucket), with the ids the record shows. Read-only calls and unknown operations give null.
 */
import { parseInstant } from "../time/instant.js";
import {
  bucketIdOf, keyIdOf, keyVersionIdOf, kmsKeyChangeOf, predecessorKeyIdOf, viewOf, volumeIdOf,
  type RecordView,
} from "./extract-ids.js";
import { asText, auditData, block, headerValue } from "./record-fields.js";
import type { TimelineEvent } from "./timeline-event.js";
import type { SubjectKind, TimelineAction } from "./timeline.js";

export interface ClassifiedEvent {
  action: TimelineAction;
  subjectKind: SubjectKind;
  subjectId: string;
  /** The subject's display name, when this record is about the subject itself. */
  subjectName: string | null;
  keyId: string | null;
  previousKeyId: string | null;
  keyVersionId: string | null;
  workRequestId: string | null;
  timeOfDeletion: string | null;
  detail: string | null;
  /** Buckets: the key the bucket has after this call, when the record shows it (null = Oracle-managed). */
  bucketKeyAfter?: string | null;
  /** Long-running operations are audited as `<Op>.begin` and `<Op>.end`; null for single records. */
  phase: "begin" | "end" | null;
}

/** A classification before the begin/end phase is added. */
type Classification = Omit<ClassifiedEvent, "phase">;

const KEY_ACTIONS: Record<string, TimelineAction> = {
  createkey: "key.created",
  importkey: "key.created",
  updatekey: "key.updated",
  enablekey: "key.enabled",
  disablekey: "key.disabled",
  schedulekeydeletion: "key.deletion-scheduled",
  cancelkeydeletion: "key.deletion-cancelled",
  createkeyversion: "key.version-created",
  importkeyversion: "key.version-created",
  schedulekeyversiondeletion: "key.version-deletion-scheduled",
  cancelkeyversiondeletion: "key.version-deletion-cancelled",
  autokeyrotatebegin: "key.auto-rotation-started",
  autokeyrotateend: "key.auto-rotation-finished",
};

const VOLUME_OPS: Record<string, { boot: boolean; remove: boolean }> = {
  updatevolumekmskey: { boot: false, remove: false },
  deletevolumekmskey: { boot: false, remove: true },
  updatebootvolumekmskey: { boot: true, remove: false },
  deletebootvolumekmskey: { boot: true, remove: true },
};

/**
 * The operation, lower-cased with separators removed: from the event name, else the last segment
 * of the type (the one before a `.begin` / `.end` suffix). Events-service auto-rotation types
 * (`...keymanagementservice.autokeyrotate.begin`) are recognised from the type.
 */
export function operationOf(eventName: string, eventType: string): string {
  const type = eventType.toLowerCase();
  const auto = /autokeyrotate[._-]?(begin|end)$/.exec(type);
  if (auto) return `autokeyrotate${auto[1]}`;
  const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");
  const name = squash(eventName);
  if (name !== "") return name;
  const segments = type.split(".").filter((s) => s !== "");
  if (phaseOf(eventType) !== null) segments.pop();
  return squash(segments[segments.length - 1] ?? "");
}

/** `begin` / `end` for the two records of a long-running operation (`...CreateKey.begin`), else null. */
export function phaseOf(eventType: string): "begin" | "end" | null {
  const m = /\.(begin|end)$/.exec(eventType.toLowerCase());
  if (!m || /autokeyrotate\.(begin|end)$/.test(eventType.toLowerCase())) return null;
  return m[1] as "begin" | "end";
}

function isoOrNull(value: unknown): string | null {
  try {
    return parseInstant(value)?.iso ?? null;
  } catch {
    return null;
  }
}

const keyText = (id: string | null | undefined): string => id ?? "Oracle-managed key";

function changedFields(v: RecordView, fields: readonly string[]): string | null {
  if (!v.previous || !v.current) return null;
  const changed = fields.filter(
    (f) => f in v.current! && JSON.stringify(v.previous![f] ?? null) !== JSON.stringify(v.current![f] ?? null),
  );
  return changed.length > 0 ? `changed: ${changed.join(", ")}` : null;
}

function classifyKey(action: TimelineAction, v: RecordView, event: TimelineEvent): Classification | null {
  const keyId = keyIdOf(v);
  if (keyId === null) return null;
  const isVersionAction = action.startsWith("key.version-");
  const keyVersionId = isVersionAction || action === "key.created" || action.startsWith("key.auto-") ? keyVersionIdOf(v) : null;
  const name = asText(v.current?.id) === keyId ? asText(v.current?.displayName) : null;
  const result: Classification = {
    action, subjectKind: "key", subjectId: keyId,
    subjectName: name ?? (v.resourceId === keyId ? asText(event.resourceName) : null),
    keyId, previousKeyId: null, keyVersionId, workRequestId: null, timeOfDeletion: null, detail: null,
  };
  if (action === "key.created") {
    result.previousKeyId = predecessorKeyIdOf(v);
    if (result.previousKeyId === keyId) result.previousKeyId = null;
    if (result.previousKeyId) result.detail = `successor of ${result.previousKeyId}`;
  } else if (action.endsWith("deletion-scheduled")) {
    result.timeOfDeletion = isoOrNull(v.current?.timeOfDeletion) ?? isoOrNull(v.payload?.timeOfDeletion);
    result.detail = result.timeOfDeletion ? `deletion scheduled for ${result.timeOfDeletion}` : "deletion scheduled";
  } else if (action.endsWith("deletion-cancelled")) {
    result.timeOfDeletion = isoOrNull(v.previous?.timeOfDeletion);
    result.detail = result.timeOfDeletion ? `deletion scheduled for ${result.timeOfDeletion} cancelled` : "deletion cancelled";
  } else if (action === "key.updated") {
    result.detail = changedFields(v, ["displayName", "freeformTags", "definedTags", "isAutoRotationEnabled", "autoKeyRotationDetails"]);
  } else if (action === "key.auto-rotation-finished") {
    const details = v.details ?? {};
    const status = asText(details.lastRotationStatus) ?? asText(details.rotationStatus) ?? asText(details.status);
    const message = asText(details.lastRotationMessage) ?? asText(details.message);
    result.detail = [status, message].filter((s) => s !== null).join(": ") || null;
  }
  return result;
}

function classifyVolume(op: { boot: boolean; remove: boolean }, v: RecordView, event: TimelineEvent): Classification | null {
  const id = volumeIdOf(v, op.boot);
  if (id === null) return null;
  const change = kmsKeyChangeOf(v);
  const next = op.remove ? null : (change.next ?? null);
  const previous = change.previous ?? null;
  const shown = op.remove || change.next !== undefined;
  return {
    action: op.boot ? "boot-volume.kms-key-updated" : "volume.kms-key-updated",
    subjectKind: op.boot ? "boot-volume" : "volume",
    subjectId: id,
    subjectName: v.resourceId === id ? asText(event.resourceName) : null,
    keyId: next,
    previousKeyId: previous,
    keyVersionId: null,
    workRequestId: null,
    timeOfDeletion: null,
    detail: shown
      ? `kmsKeyId ${change.previous === undefined ? "" : `${keyText(previous)} → `}${keyText(next)}`
      : null,
  };
}

function classifyBucket(op: string, v: RecordView): Classification | null {
  const id = bucketIdOf(v);
  if (id === null) return null;
  const nameMatch = /^\/n\/[^/]+\/b\/(.+)$/.exec(id);
  const base = {
    subjectKind: "bucket" as const, subjectId: id, subjectName: nameMatch ? nameMatch[1]! : null,
    keyId: null, previousKeyId: null, keyVersionId: null, workRequestId: null, timeOfDeletion: null, detail: null,
  };
  if (op === "reencryptbucket") {
    const headers = block(v.data, "response", "headers");
    return { ...base, action: "bucket.reencrypt-requested", workRequestId: headerValue(headers, "opc-work-request-id") };
  }
  const change = kmsKeyChangeOf(v);
  const next = change.next;
  if (op === "createbucket") {
    return { ...base, action: "bucket.created", keyId: next ?? null, bucketKeyAfter: next ?? null, detail: next ? `kmsKeyId ${next}` : null };
  }
  // UpdateBucket: a key change is visible when the new kmsKeyId differs from the recorded previous
  // one, or is a key while the previous one is not shown (a full Bucket model always has kmsKeyId).
  const keyChanged = next !== undefined && (change.previous !== undefined ? change.previous !== next : next !== null);
  if (keyChanged) {
    const from = change.previous === undefined ? "" : `${keyText(change.previous)} → `;
    return {
      ...base, action: "bucket.kms-key-updated", keyId: next ?? null, previousKeyId: change.previous ?? null,
      bucketKeyAfter: next ?? null, detail: `kmsKeyId ${from}${keyText(next)}`,
    };
  }
  return {
    ...base, action: "bucket.updated",
    ...(next !== undefined ? { bucketKeyAfter: next } : {}),
    detail: changedFields(v, ["freeformTags", "definedTags", "versioning", "publicAccessType", "objectEventsEnabled", "storageTier", "autoTiering"]),
  };
}

/** Classifies one event, or returns null when it is read-only, unknown or names no subject. */
export function classifyEvent(event: TimelineEvent): ClassifiedEvent | null {
  const op = operationOf(event.eventName ?? "", event.eventType ?? "");
  const view = viewOf(auditData(event.raw), event.resourceId);
  const phase = phaseOf(event.eventType ?? "");
  const keyAction = KEY_ACTIONS[op];
  const volumeOp = VOLUME_OPS[op];
  let result: Classification | null = null;
  if (keyAction) result = classifyKey(keyAction, view, event);
  else if (volumeOp) result = classifyVolume(volumeOp, view, event);
  else if (op === "createbucket" || op === "updatebucket" || op === "reencryptbucket") result = classifyBucket(op, view);
  return result ? { ...result, phase } : null;
}

