/**
 * Correlates audit events into per-key and per-resource rotation timelines (DESIGN §2, §3).
 * Pure: no I/O, no clock. Verdicts (on time, re-keyed, retained) are computed elsewhere from these.
 */
import { parseInstant, requireInstant } from "../time/instant.js";
import { classifyEvent, type ClassifiedEvent } from "./classify-event.js";
import { entryOutcomeOf, failureDetailOf } from "./entry-outcome.js";
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

/** Dedupes by event id (first occurrence wins), drops events without an id or a valid time, classifies. */
function classifyAll(events: Iterable<TimelineEvent>): Classified[] {
  const seen = new Set<string>();
  const out: Classified[] = [];
  for (const event of events) {
    if (typeof event !== "object" || event === null) continue;
    const eventId = asText(event.eventId);
    const time = instantOrNull(event.eventTime);
    if (eventId === null || time === null || seen.has(eventId)) continue;
    seen.add(eventId);
    const cls = classifyEvent(event);
    if (cls) out.push({ event, eventId, time, cls });
  }
  return withoutAnsweredBegins(out).sort(byTimeThenId);
}

/** A reporting window, instants as ISO-8601: `from` inclusive, `to` exclusive; either may be left out. */
export interface TimelineWindow {
  from?: string;
  to?: string;
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
 * read-back showing the new key is), so a 2xx on them is "accepted", never "succeeded".
 */
const NEEDS_READ_BACK = new Set<string>(["volume.kms-key-updated", "boot-volume.kms-key-updated"]);

function entryOf(c: Classified, keyId: string | null): TimelineEntry {
  const { event, cls } = c;
  const status = asText(event.responseStatus);
  const httpOutcome = entryOutcomeOf(status);
  const outcome = httpOutcome === "succeeded" && NEEDS_READ_BACK.has(cls.action) ? "accepted" : httpOutcome;
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
    detail: outcome === "failed" ? failureDetailOf(auditData(event.raw), status) : cls.detail,
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
 * - With `window`, correlation still uses every event given (feed the history before the period,
 *   so a bucket's key set months earlier is known), but only entries in [from, to) are kept, and
 *   only timelines that have one. Lineage fields come from all events.
 */
export function buildTimelines(
  events: Iterable<TimelineEvent>,
  window?: TimelineWindow,
): { keys: Timeline[]; resources: Timeline[] } {
  const timelines = new Timelines();
  const bucketKeys = new Map<string, string | null>();

  for (const c of classifyAll(events)) {
    const { cls, event } = c;
    const outcome = entryOutcomeOf(asText(event.responseStatus));
    let keyId = cls.keyId;
    if (cls.subjectKind === "bucket") {
      if (cls.action === "bucket.reencrypt-requested") keyId = bucketKeys.get(cls.subjectId) ?? null;
      else if (cls.bucketKeyAfter !== undefined && outcome !== "failed") bucketKeys.set(cls.subjectId, cls.bucketKeyAfter);
    }
    const entry = entryOf(c, keyId);

    const own = timelines.get(cls.subjectKind, cls.subjectId);
    own.entries.push(entry);
    own.displayName = cls.subjectName ?? own.displayName;
    own.compartmentId = asText(event.compartmentId) ?? own.compartmentId;
    own.compartmentName = asText(event.compartmentName) ?? own.compartmentName;

    if (cls.subjectKind !== "key") {
      if (keyId) timelines.get("key", keyId).entries.push({ ...entry });
      if (cls.previousKeyId && cls.previousKeyId !== keyId) timelines.get("key", cls.previousKeyId).entries.push({ ...entry });
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
  if (window) all = inWindow(all, window);
  return { keys: all.filter((t) => t.subjectKind === "key"), resources: all.filter((t) => t.subjectKind !== "key") };
}
