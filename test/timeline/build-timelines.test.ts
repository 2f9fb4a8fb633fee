import { describe, expect, it } from "vitest";
import { buildTimelines } from "../../src/timeline/build-timelines.js";
import type { TimelineEvent } from "../../src/timeline/timeline-event.js";
import { auditEvent, auditRecord, KEY_A, KEY_B, VERSION_A1, VERSION_A2, VOL } from "./helpers/synthetic-event.js";
import { toTimelineEvent } from "./helpers/read-audit-export.js";

const version = (id: string, time: string, v: string = VERSION_A2) =>
  auditEvent({ id, time, path: `/20180608/keys/${KEY_A}/keyVersions`, payload: { id: v } });
const bucketCall = (name: string, id: string, time: string, extra: Parameters<typeof auditEvent>[0] = {}) =>
  auditEvent({ id, time, name, type: `com.oraclecloud.objectstorage.${name.toLowerCase()}`, path: "/n/ns1/b/backups/", ...extra });
const volumeUpdate = (id: string, time: string, from: string | null, to: string) =>
  auditEvent({ id, time, name: "UpdateVolumeKmsKey", path: `/20160918/volumes/${VOL}/kmsKey`, resourceId: VOL, previous: { kmsKeyId: from }, current: { kmsKeyId: to } });

describe("buildTimelines", () => {
  it("returns no timelines for no events", () => {
    expect(buildTimelines([])).toEqual({ keys: [], resources: [] });
  });

  it("sorts entries by time, then event id, whatever the input order", () => {
    const events = [version("evt-c", "2026-10-05T02:00:00.000Z"), version("evt-b", "2026-10-05T02:00:00.000Z"), version("evt-a", "2026-10-06T00:00:00.000Z")];
    const [key] = buildTimelines(events).keys;
    expect(key?.entries.map((e) => [e.time, e.eventId])).toEqual([
      ["2026-10-05T02:00:00.000Z", "evt-b"],
      ["2026-10-05T02:00:00.000Z", "evt-c"],
      ["2026-10-06T00:00:00.000Z", "evt-a"],
    ]);
  });

  it("normalises event times with an offset to UTC before ordering them", () => {
    const events = [version("evt-1", "2026-10-05T03:00:00.000Z"), version("evt-2", "2026-10-05T04:30:00+02:00")];
    const [key] = buildTimelines(events).keys;
    expect(key?.entries.map((e) => [e.eventId, e.time])).toEqual([
      ["evt-2", "2026-10-05T02:30:00.000Z"],
      ["evt-1", "2026-10-05T03:00:00.000Z"],
    ]);
  });

  it("sorts timelines by subject id", () => {
    const events = [auditEvent({ path: `/20180608/keys/${KEY_B}/keyVersions` }), auditEvent({ path: `/20180608/keys/${KEY_A}/keyVersions` })];
    expect(buildTimelines(events).keys.map((t) => t.subjectId)).toEqual([KEY_A, KEY_B]);
  });

  it("counts an event id once, keeping its first occurrence", () => {
    const first = version("evt-1", "2026-10-05T02:00:00.000Z", VERSION_A1);
    const again = version("evt-1", "2026-10-05T02:00:00.000Z", VERSION_A2);
    const [key] = buildTimelines([first, again]).keys;
    expect(key?.entries.map((e) => e.keyVersionId)).toEqual([VERSION_A1]);
  });

  it("counts a long-running operation once, by its end record, and keeps a begin without an end", () => {
    const record = (id: string, phase: string, grouping: string, time: string) => {
      const r = auditRecord({ id, time, name: "CreateKeyVersion", type: `com.oraclecloud.KeyManagementService.CreateKeyVersion.${phase}`, path: `/20180608/keys/${KEY_A}/keyVersions`, payload: { id: VERSION_A2 } });
      r.data.eventGroupingId = grouping;
      return toTimelineEvent(r);
    };
    const events = [
      record("evt-1", "begin", "g1", "2026-10-05T02:00:00.000Z"),
      record("evt-2", "end", "g1", "2026-10-05T02:00:03.000Z"),
      record("evt-3", "begin", "g2", "2026-10-06T02:00:00.000Z"),
    ];
    expect(buildTimelines(events).keys[0]?.entries.map((e) => e.eventId)).toEqual(["evt-2", "evt-3"]);
  });

  it("skips events without an id or a valid time and keeps the rest", () => {
    const events = [
      { ...version("evt-1", "2026-10-05T02:00:00.000Z"), eventId: "" },
      version("evt-2", "not a time"),
      version("evt-3", "2026-02-30T00:00:00.000Z"),
      version("evt-4", "2026-10-05T02:00:00.000Z"),
    ];
    expect(buildTimelines(events).keys[0]?.entries.map((e) => e.eventId)).toEqual(["evt-4"]);
  });

  it("fills an entry from the event: actor, status, outcome, request and evidence ids", () => {
    const [key] = buildTimelines([version("evt-1", "2026-10-05T02:00:00.000Z")]).keys;
    expect(key?.entries[0]).toEqual({
      time: "2026-10-05T02:00:00.000Z", action: "key.version-created", actor: "tester", outcome: "succeeded", responseStatus: "200",
      keyId: KEY_A, previousKeyId: null, resourceId: null, keyVersionId: VERSION_A2, workRequestId: null, timeOfDeletion: null,
      verifiedBy: null, detail: null, eventId: "evt-1", eventType: "com.oraclecloud.KeyManagementService.CreateKeyVersion", requestId: expect.stringMatching(/^req-/),
    });
  });

  it("names the principal id as actor when the record has no principal name", () => {
    const event = auditEvent({ path: `/20180608/keys/${KEY_A}/keyVersions`, principalName: null, principalId: "ocid1.instance.oc1.iad.x" });
    expect(buildTimelines([event]).keys[0]?.entries[0]?.actor).toBe("ocid1.instance.oc1.iad.x");
  });

  it("shows a failure with OCI's message and an Events-service message as unknown", () => {
    const failed = auditEvent({ path: `/20180608/keys/${KEY_A}/keyVersions`, status: "429", message: "Too many requests for the tenancy" });
    const message = auditEvent({ name: null, status: null, type: "com.oraclecloud.keymanagementservice.autokeyrotate.begin", resourceId: KEY_A, time: "2026-10-06T00:00:00.000Z" });
    const entries = buildTimelines([failed, message]).keys[0]?.entries;
    expect(entries?.map((e) => [e.action, e.outcome, e.responseStatus, e.detail])).toEqual([
      ["key.version-created", "failed", "429", "Too many requests for the tenancy"],
      ["key.auto-rotation-started", "unknown", null, null],
    ]);
  });

  it("puts a volume's key update on the volume and on the new and the former key's timelines", () => {
    const { keys, resources } = buildTimelines([volumeUpdate("evt-1", "2026-10-06T02:00:00.000Z", KEY_A, KEY_B)]);
    expect(resources.map((t) => [t.subjectKind, t.subjectId, t.entries.length])).toEqual([["volume", VOL, 1]]);
    expect(keys.map((t) => [t.subjectId, t.entries[0]?.keyId, t.entries[0]?.previousKeyId, t.entries[0]?.resourceId])).toEqual([
      [KEY_A, KEY_B, KEY_A, VOL],
      [KEY_B, KEY_B, KEY_A, VOL],
    ]);
    expect(keys.every((t) => t.displayName === null && t.compartmentId === null)).toBe(true);
  });

  it("gives ReencryptBucket the key the bucket last got, and no key before any bucket event shows one", () => {
    const events = [
      bucketCall("ReencryptBucket", "evt-1", "2026-10-01T00:00:00.000Z", { status: "202" }),
      bucketCall("UpdateBucket", "evt-2", "2026-10-02T00:00:00.000Z", { previous: { kmsKeyId: null }, current: { kmsKeyId: KEY_A } }),
      bucketCall("UpdateBucket", "evt-3", "2026-10-03T00:00:00.000Z", { status: "400", previous: { kmsKeyId: KEY_A }, current: { kmsKeyId: KEY_B } }),
      bucketCall("ReencryptBucket", "evt-4", "2026-10-04T00:00:00.000Z", { status: "202" }),
    ];
    const { keys, resources } = buildTimelines(events);
    expect(resources[0]?.entries.map((e) => [e.eventId, e.action, e.outcome, e.keyId])).toEqual([
      ["evt-1", "bucket.reencrypt-requested", "accepted", null],
      ["evt-2", "bucket.kms-key-updated", "succeeded", KEY_A],
      ["evt-3", "bucket.kms-key-updated", "failed", KEY_B],
      ["evt-4", "bucket.reencrypt-requested", "accepted", KEY_A],
    ]);
    expect(keys.map((t) => [t.subjectId, t.entries.map((e) => e.eventId)])).toEqual([
      [KEY_A, ["evt-2", "evt-3", "evt-4"]],
      [KEY_B, ["evt-3"]],
    ]);
  });

  it("links a successor key to its predecessor, in both directions", () => {
    const created = auditEvent({ id: "evt-1", name: "CreateKey", path: "/20180608/keys", resourceId: KEY_B, current: { id: KEY_B, displayName: "k-2", freeformTags: { predecessor: KEY_A } } });
    const { keys } = buildTimelines([created]);
    expect(keys.map((t) => [t.subjectId, t.displayName, t.predecessorKeyId, t.successorKeyIds, t.entries.map((e) => [e.action, e.keyId, e.previousKeyId, e.detail])])).toEqual([
      [KEY_A, null, null, [KEY_B], [["key.successor-created", KEY_B, KEY_A, `successor ${KEY_B} created`]]],
      [KEY_B, "k-2", KEY_A, [], [["key.created", KEY_B, KEY_A, `successor of ${KEY_A}`]]],
    ]);
  });

  it("shows a failed successor creation on both timelines without linking the lineage", () => {
    const failed = auditEvent({ name: "CreateKey", status: "500", message: "Internal error", resourceId: KEY_B, current: { id: KEY_B, freeformTags: { predecessor: KEY_A } } });
    const { keys } = buildTimelines([failed]);
    expect(keys.map((t) => [t.subjectId, t.predecessorKeyId, t.successorKeyIds, t.entries[0]?.outcome, t.entries[0]?.detail])).toEqual([
      [KEY_A, null, [], "failed", "Internal error"],
      [KEY_B, null, [], "failed", "Internal error"],
    ]);
  });

  it("reads records in the Console/Search wrapper, with logContent as an object or as JSON text", () => {
    const record = auditRecord({ id: "evt-w", path: `/20180608/keys/${KEY_A}/keyVersions`, payload: { id: VERSION_A2 } });
    const wrapped = (logContent: unknown): TimelineEvent => ({ ...toTimelineEvent(record), raw: { datetime: 1791165600000, logContent } });
    for (const event of [wrapped(record), wrapped(JSON.stringify(record))]) {
      expect(buildTimelines([event]).keys[0]?.entries[0]?.keyVersionId).toBe(VERSION_A2);
    }
  });

  it("keeps only entries in a window, start inclusive and end exclusive, and rejects a bad bound", () => {
    const events = [version("evt-1", "2026-09-30T23:59:59.999Z"), version("evt-2", "2026-10-01T00:00:00.000Z"), version("evt-3", "2026-11-01T00:00:00.000Z")];
    expect(buildTimelines(events, { from: "2026-10-01T00:00:00Z", to: "2026-11-01T00:00:00Z" }).keys[0]?.entries.map((e) => e.eventId)).toEqual(["evt-2"]);
    expect(buildTimelines(events, { to: "2026-10-01T00:00:00Z" }).keys[0]?.entries.map((e) => e.eventId)).toEqual(["evt-1"]);
    expect(buildTimelines(events, { from: "2026-12-01T00:00:00Z" })).toEqual({ keys: [], resources: [] });
    expect(() => buildTimelines(events, { from: "October" })).toThrow(TypeError);
  });

  it("never throws on odd records and keeps the good ones", () => {
    const good = version("evt-good", "2026-10-05T02:00:00.000Z");
    const odd: unknown[] = [
      null, 42, "text", {},
      { ...good, eventId: "o1", raw: null, resourceId: null },
      { ...good, eventId: "o2", raw: "not an object" },
      { ...good, eventId: "o3", raw: { data: [] } },
      { ...good, eventId: "o4", raw: { data: { request: { path: 7 }, response: { headers: [1, 2], payload: "x" }, stateChange: "?" } } },
      { ...good, eventId: "o5", raw: { logContent: "{not json" } },
      { ...good, eventId: "o6", eventName: null, eventType: null, responseStatus: 500, principalName: {}, eventTime: 1791165600000 },
      { ...good, eventId: "o7", eventTime: Number.MAX_VALUE },
      { ...good, eventId: "o8", name: "UpdateBucket", eventName: "UpdateBucket", raw: { data: { request: { path: "/n/%E0%A4%A/b/%ZZ/" } } } },
    ];
    const result = buildTimelines([...(odd as TimelineEvent[]), good]);
    expect(result.keys.flatMap((t) => t.entries.map((e) => e.eventId))).toEqual(["evt-good"]);
    expect(result.resources.map((t) => t.subjectId)).toEqual(["/n/%E0%A4%A/b/%ZZ"]);
  });
});
