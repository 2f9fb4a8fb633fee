/**
 * Correlates audit events into per-key and per-resource rotation timelines (DESIGN §2, §3).
 * Pure: no I/O, no clock. Verdicts (on time, re-keyed, retained) are computed elsewhere from these.
 */
import { parseInstant, requireInstant } from "../time/instant.js";
import { classifyEvent, type ClassifiedEvent } from "./classify-event.js";
import { entryOutcomeOf, failureDetailOf } from "./entry-outcome.js";
import { readBackOf, type ReadBack } from "./read-back.js";
import { asText, auditData } from "./record-fields.js";
import type { TimelineEvent } from "./timeline-event.js";
import type { SubjectKind, Timeline, TimelineEntry } from "./timeline.js";

interface Classified {
  event: TimelineEvent;
  eventId: string;
  time: string;
  cls: ClassifiedEvent;
}

function instantOrNull(value: unknown): string | null {
  try {
    return parseInstant(value)?.iso ?? null;
  } catch {
    return null;
  }
}

function byTimeThenId(a: Classified, b: Classified): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

// Long-running operations are audited twice, `<Op>.begin` and `<Op>.end` with one eventGroupingId
// (OCI-NOTES §2.7): one operation is one entry, so a begin record gives way to its end record.
function withoutAnsweredBegins(list: Classified[]): Classified[] {
  const pairKey = (c: Classified): string | null => {
    const grouping = asText(auditData(c.event.raw).eventGroupingId);
    return grouping === null ? null : `${grouping}\u0000${c.cls.action}`;
  };
  const ended = new Set(list.filter((c) => c.cls.phase === "end").map(pairKey).filter((k) => k !== null));
  return list.filter((c) => c.cls.phase !== "begin" || !ended.has(pairKey(c) ?? ""));
}

interface ReadBackEvent extends ReadBack {
  eventId: string;
  time: string;
}

/**
 * Dedupes by event id (first occurrence wins), drops events without an id or a valid time,
 * classifies; read-backs (read-only, so never classified) are gathered on the side.
 */
function classifyAll(events: Iterable<TimelineEvent>): { classified: Classified[]; readBacks: ReadBackEvent[] } {
  const seen = new Set<string>();
  const out: Classified[] = [];
  const readBacks: ReadBackEvent[] = [];
  for (const event of events) {
    if (typeof event !== "object" || event === null) continue;
    const eventId = asText(event.eventId);
    const time = instantOrNull(event.eventTime);
    if (eventId === null || time === null || seen.has(eventId)) continue;
    seen.add(eventId);
    const cls = classifyEvent(event);
    if (cls) {
      out.push({ event, eventId, time, cls });
      continue;
    }
    const readBack = readBackOf(event);
    if (readBack) readBacks.push({ ...readBack, eventId, time });
  }
  return { classified: withoutAnsweredBegins(out).sort(byTimeThenId), readBacks };
}

/**
 * True when {@link buildTimelines} uses the event: it classifies as a timeline action, or it is a
 * volume / boot-volume KMS key read-back. Callers that pre-filter the events they feed must keep
 * both, or no KMS key update can be verified.
 */
export function isTimelineInput(event: TimelineEvent): boolean {
  return classifyEvent(event) !== null || readBackOf(event) !== null;
}

/** A reporting window, instants as ISO-8601: `from` inclusive, `to` exclusive; either may be left out. */
export interface TimelineWindow {
  from?: string;
  to?: string;
}

/**
 * Default of {@link BuildTimelinesOptions.readBackWithinHours}: 24, the default `rekeyWithinHours`
 * (DESIGN §3). Callers with a policy pass the policy's value; the timeline module holds no policy.
 */
export const DEFAULT_READ_BACK_WITHIN_HOURS = 24;

export interface BuildTimelinesOptions extends TimelineWindow {
  /**
   * How long after a volume / boot-volume KMS key update a read-back still counts as its proof, in
   * hours (inclusive; a non-negative finite number, fractions allowed). Default
   * {@link DEFAULT_READ_BACK_WITHIN_HOURS}.
   */
  readBackWithinHours?: number;
}

/** Keeps the entries in the window, and the timelines that still have entries. Throws a TypeError on a bad bound. */
function inWindow(timelines: Timeline[], window: TimelineWindow): Timeline[] {
  const from = window.from === undefined ? null : requireInstant(window.from, "window.from").iso;
  const to = window.to === undefined ? null : requireInstant(window.to, "window.to").iso;
  const keep = (e: TimelineEntry): boolean => (from === null || e.time >= from) && (to === null || e.time < to);
  return timelines.map((t) => ({ ...t, entries: t.entries.filter(keep) })).filter((t) => t.entries.length > 0);
}

class Timelines {
  private readonly map = new Map<string, Timeline>();

  get(kind: SubjectKind, id: string): Timeline {
    const key = `${kind}\u0000${id}`;
    let t = this.map.get(key);
    if (!t) {
      t = {
        subjectKind: kind, subjectId: id, displayName: null, compartmentId: null, compartmentName: null,
        predecessorKeyId: null, successorKeyIds: [], entries: [],
      };
      this.map.set(key, t);
    }
    return t;
  }

  sorted(): Timeline[] {
    return [...this.map.values()].sort((a, b) =>
      a.subjectId !== b.subjectId ? (a.subjectId < b.subjectId ? -1 : 1) : a.subjectKind < b.subjectKind ? -1 : a.subjectKind > b.subjectKind ? 1 : 0,
    );
  }
}

/**
 * Volume and boot-volume KMS key updates are not proven by their HTTP 200 (DESIGN §3 rule 5: a
 * read-back showing the new key is), so a 2xx on them is "accepted" until a read-back proves it.
 */
const NEEDS_READ_BACK = new Set<string>(["volume.kms-key-updated", "boot-volume.kms-key-updated"]);

const keyText = (id: string | null): string => id ?? "Oracle-managed key";

/** What the read-backs say about one KMS key update. */
type Verification =
  | { kind: "verified"; readBack: ReadBackEvent }
  | { kind: "contradicted"; readBack: ReadBackEvent; expected: string };

const SORT_UPDATE = 0;
const SORT_READ_BACK = 1;

/**
 * Matches KMS key updates of volumes and boot volumes with their read-backs (DESIGN §3 rule 5).
 * Per volume, in time order (a read-back at the same instant as an update counts as after it):
 * - an update is verifiable when its HTTP status is 2xx and its record names the new key;
 * - the read-backs that can prove it are those of the same volume at or after it, no later than
 *   `withinMs` after it, and before the next update of that volume that did not fail (a later
 *   update supersedes it: an update superseded before any read-back stays "accepted");
 * - the earliest of them showing the new key verifies it; when none does but some show another
 *   key (or an Oracle-managed one), the latest of those contradicts it ("200 but not applied").
 */
function verifyKmsKeyUpdates(classified: Classified[], readBacks: ReadBackEvent[], withinMs: number): Map<string, Verification> {
  type Item = { time: string; order: number; id: string; update?: Classified; readBack?: ReadBackEvent };
  const perVolume = new Map<string, Item[]>();
  const push = (kind: string, volumeId: string, item: Item): void => {
    const key = `${kind}\u0000${volumeId}`;
    const list = perVolume.get(key);
    if (list) list.push(item);
    else perVolume.set(key, [item]);
  };
  for (const c of classified) {
    if (!NEEDS_READ_BACK.has(c.cls.action)) continue;
    if (entryOutcomeOf(asText(c.event.responseStatus)) === "failed") continue;
    push(c.cls.subjectKind, c.cls.subjectId, { time: c.time, order: SORT_UPDATE, id: c.eventId, update: c });
  }
  for (const r of readBacks) push(r.subjectKind, r.volumeId, { time: r.time, order: SORT_READ_BACK, id: r.eventId, readBack: r });

  const result = new Map<string, Verification>();
  for (const items of perVolume.values()) {
    items.sort((a, b) => (a.time !== b.time ? (a.time < b.time ? -1 : 1) : a.order !== b.order ? a.order - b.order : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    items.forEach((item, i) => {
      const update = item.update;
      const expected = update?.cls.keyId ?? null;
      if (!update || expected === null || !/^2\d\d$/.test(asText(update.event.responseStatus) ?? "")) return;
      const deadline = Date.parse(update.time) + withinMs;
      let contradiction: ReadBackEvent | null = null;
      for (const next of items.slice(i + 1)) {
        if (next.update) break;
        const r = next.readBack!;
        if (Date.parse(r.time) > deadline) break;
        if (r.kmsKeyId === expected) {
          result.set(update.eventId, { kind: "verified", readBack: r });
          return;
        }
        contradiction = r;
      }
      if (contradiction) result.set(update.eventId, { kind: "contradicted", readBack: contradiction, expected });
    });
  }
  return result;
}

/** A copy for another timeline (no shared nested object). */
const copyOf = (e: TimelineEntry): TimelineEntry => ({ ...e, verifiedBy: e.verifiedBy && { ...e.verifiedBy } });

function entryOf(c: Classified, keyId: string | null, verification: Verification | undefined): TimelineEntry {
  const { event, cls } = c;
  const status = asText(event.responseStatus);
  const httpOutcome = entryOutcomeOf(status);
  let outcome = httpOutcome === "succeeded" && NEEDS_READ_BACK.has(cls.action) ? "accepted" : httpOutcome;
  let detail = outcome === "failed" ? failureDetailOf(auditData(event.raw), status) : cls.detail;
  let verifiedBy: TimelineEntry["verifiedBy"] = null;
  if (verification?.kind === "verified") {
    const { eventId, time } = verification.readBack;
    outcome = "succeeded";
    verifiedBy = { eventId, time };
    const proof = `read back at ${time} (event ${eventId})`;
    detail = detail === null ? proof : `${detail}; ${proof}`;
  } else if (verification?.kind === "contradicted") {
    const r = verification.readBack;
    outcome = "failed";
    detail = `read back at ${r.time} shows ${keyText(r.kmsKeyId)}, not ${verification.expected}`;
  }
  return {
    time: c.time,
    action: cls.action,
    actor: asText(event.principalName) ?? asText(event.principalId),
    outcome,
    responseStatus: status,
    keyId,
    previousKeyId: cls.previousKeyId,
    resourceId: cls.subjectKind === "key" ? null : cls.subjectId,
    keyVersionId: cls.keyVersionId,
    workRequestId: cls.workRequestId,
    timeOfDeletion: cls.timeOfDeletion,
    verifiedBy,
    detail,
    eventId: c.eventId,
    eventType: asText(event.eventType) ?? "",
    requestId: asText(event.requestId),
  };
}

/**
 * Builds one timeline per key and per resource (volume, boot volume, bucket).
 *
 * - Each classified event is an entry on its subject's timeline. Read-only calls (Get*, List*),
 *   unknown operations and records naming no subject are skipped; nothing throws on odd input.
 * - A KMS-key change of a resource (volume, boot volume, bucket create/update) also appears on the
 *   new key's timeline and on the former key's timeline, when the record names them.
 * - ReencryptBucket names no key: its entry carries the bucket's key as set by the last earlier
 *   successful bucket event in the input, and appears on that key's timeline too.
 * - A key created with a `predecessor` tag (a volume-key successor, DESIGN §3) also appears on the
 *   predecessor's timeline as `key.successor-created`; the timelines' `predecessorKeyId` /
 *   `successorKeyIds` give the lineage.
 * - Duplicate event ids count once (first occurrence); of a long-running operation's `.begin` and
 *   `.end` records (same eventGroupingId) only the end counts. Entries are sorted by time then
 *   event id; timelines by subject id.
 * - Read-back (DESIGN §3 rule 5): a 2xx `UpdateVolumeKmsKey` / `UpdateBootVolumeKmsKey` whose
 *   record names its new key is "accepted" until a 2xx `GetVolumeKmsKey` / `GetBootVolumeKmsKey`
 *   record of the same volume, at or after it and within `readBackWithinHours` (default 24), shows
 *   a kmsKeyId. Showing the new key makes it "succeeded" with `verifiedBy` = that read-back and
 *   "read back at <time> (event <id>)" in the detail; showing only other keys makes it "failed"
 *   with "read back at <time> shows <key>, not <new key>". A read-back counts for the latest
 *   non-failed update of its volume before it only: an update superseded by another before any
 *   read-back stays "accepted". Read-backs are never entries; records that show no kmsKeyId are
 *   ignored. ReencryptBucket stays "accepted" (its work request's completion is not audited).
 * - With `from` / `to`, correlation still uses every event given (feed the history before the
 *   period, so a bucket's key set months earlier is known, and the read-backs after it), but only
 *   entries in [from, to) are kept, and only timelines that have one. Lineage fields come from all
 *   events. Throws a TypeError on a bad bound or a bad `readBackWithinHours`.
 */
export function buildTimelines(
  events: Iterable<TimelineEvent>,
  options?: BuildTimelinesOptions,
): { keys: Timeline[]; resources: Timeline[] } {
  const hours = options?.readBackWithinHours ?? DEFAULT_READ_BACK_WITHIN_HOURS;
  if (typeof hours !== "number" || !Number.isFinite(hours) || hours < 0) {
    throw new TypeError("readBackWithinHours must be a non-negative finite number of hours");
  }
  const timelines = new Timelines();
  const bucketKeys = new Map<string, string | null>();
  const { classified, readBacks } = classifyAll(events);
  const verifications = verifyKmsKeyUpdates(classified, readBacks, hours * 3_600_000);

  for (const c of classified) {
    const { cls, event } = c;
    const outcome = entryOutcomeOf(asText(event.responseStatus));
    let keyId = cls.keyId;
    if (cls.subjectKind === "bucket") {
      if (cls.action === "bucket.reencrypt-requested") keyId = bucketKeys.get(cls.subjectId) ?? null;
      else if (cls.bucketKeyAfter !== undefined && outcome !== "failed") bucketKeys.set(cls.subjectId, cls.bucketKeyAfter);
    }
    const entry = entryOf(c, keyId, verifications.get(c.eventId));

    const own = timelines.get(cls.subjectKind, cls.subjectId);
    own.entries.push(entry);
    own.displayName = cls.subjectName ?? own.displayName;
    own.compartmentId = asText(event.compartmentId) ?? own.compartmentId;
    own.compartmentName = asText(event.compartmentName) ?? own.compartmentName;

    if (cls.subjectKind !== "key") {
      if (keyId) timelines.get("key", keyId).entries.push(copyOf(entry));
      if (cls.previousKeyId && cls.previousKeyId !== keyId) timelines.get("key", cls.previousKeyId).entries.push(copyOf(entry));
    } else if (cls.action === "key.created" && cls.previousKeyId) {
      const predecessor = timelines.get("key", cls.previousKeyId);
      predecessor.entries.push({
        ...entry,
        action: "key.successor-created",
        detail: outcome === "failed" ? entry.detail : `successor ${cls.subjectId} created`,
      });
      if (outcome !== "failed") {
        own.predecessorKeyId = cls.previousKeyId;
        if (!predecessor.successorKeyIds.includes(cls.subjectId)) predecessor.successorKeyIds.push(cls.subjectId);
      }
    }
  }

  let all = timelines.sorted();
  if (options) all = inWindow(all, options);
  return { keys: all.filter((t) => t.subjectKind === "key"), resources: all.filter((t) => t.subjectKind !== "key") };
}
