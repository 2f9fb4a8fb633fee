/**
 * buildTimelines over the committed example export (examples/README.md): every expected value is
 * typed out by hand from the README's scenario tables.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { buildTimelines } from "../../src/timeline/build-timelines.js";
import type { Timeline, TimelineEntry } from "../../src/timeline/timeline.js";
import {
  APP_BACKUPS, BACKUP_IN_PROGRESS, BACKUP_PROD, BOOT_VOLUME, DB_BACKUPS, EVENT, JONAS, K1, K1_V1, K2, K2_V1, K3, K3_V1,
  KB, KB_V1, KB_V2, KB_V3, KB_V4, KEYPROOF, MARIA, SECURITY, VOLUME, WR,
} from "../fixtures/audit-export-facts.js";
import { readAuditExportEvents } from "./helpers/read-audit-export.js";

let keys: Timeline[];
let resources: Timeline[];

beforeAll(() => {
  ({ keys, resources } = buildTimelines(readAuditExportEvents()));
});

function timeline(list: Timeline[], id: string): Timeline {
  const t = list.find((x) => x.subjectId === id);
  if (!t) throw new Error(`no timeline for ${id}`);
  return t;
}

/** [time, action, outcome, keyId, previousKeyId, resourceId] per entry. */
const rows = (t: Timeline) => t.entries.map((e) => [e.time, e.action, e.outcome, e.keyId, e.previousKeyId, e.resourceId]);
const ofAction = (t: Timeline, action: TimelineEntry["action"]) => t.entries.filter((e) => e.action === action);

describe("timelines of the example export", () => {
  it("has one timeline per key and per re-keyed resource, sorted by subject id", () => {
    expect(keys.map((t) => t.subjectId)).toEqual([K2, K1, KB, K3]);
    expect(resources.map((t) => [t.subjectKind, t.subjectId])).toEqual([
      ["bucket", APP_BACKUPS],
      ["bucket", DB_BACKUPS],
      ["boot-volume", BOOT_VOLUME],
      ["volume", VOLUME],
    ]);
    expect(keys.reduce((n, t) => n + t.entries.length, 0)).toBe(29);
    expect(resources.reduce((n, t) => n + t.entries.length, 0)).toBe(16);
  });

  it("names each subject and its compartment from its own events", () => {
    const names = [...keys, ...resources].map((t) => [t.subjectId, t.displayName, t.compartmentName, t.compartmentId]);
    expect(names).toEqual([
      [K2, "backup-volumes-2026-07", "security", SECURITY],
      [K1, "backup-volumes-2026-04", "security", SECURITY],
      [KB, "backup-objects-key", "security", SECURITY],
      [K3, "backup-volumes-2026-10", "security", SECURITY],
      [APP_BACKUPS, "app-backups", "backup-prod", BACKUP_PROD],
      [DB_BACKUPS, "db-backups", "backup-prod", BACKUP_PROD],
      [BOOT_VOLUME, "pg-primary (Boot Volume)", "backup-prod", BACKUP_PROD],
      [VOLUME, "pg-data-vol", "backup-prod", BACKUP_PROD],
    ]);
  });

  it("shows the bucket key rotated exactly three times, at the times of its CreateKeyVersion calls", () => {
    const versions = ofAction(timeline(keys, KB), "key.version-created");
    expect(versions.map((e) => [e.time, e.keyVersionId, e.outcome, e.responseStatus, e.actor])).toEqual([
      ["2026-04-10T02:00:04.211Z", KB_V2, "succeeded", "200", KEYPROOF],
      ["2026-07-08T02:00:03.774Z", KB_V3, "succeeded", "200", KEYPROOF],
      ["2026-10-05T02:00:04.052Z", KB_V4, "succeeded", "200", KEYPROOF],
    ]);
  });

  it("puts the bucket key's whole history on its timeline, buckets included", () => {
    const kb = timeline(keys, KB);
    expect(rows(kb)).toEqual([
      ["2026-01-12T09:14:21.482Z", "key.created", "succeeded", KB, null, null],
      ["2026-01-12T09:20:03.117Z", "bucket.kms-key-updated", "succeeded", KB, null, DB_BACKUPS],
      ["2026-01-12T09:21:47.905Z", "bucket.kms-key-updated", "succeeded", KB, null, APP_BACKUPS],
      ["2026-04-10T02:00:04.211Z", "key.version-created", "succeeded", KB, null, null],
      ["2026-04-10T02:00:06.530Z", "bucket.reencrypt-requested", "accepted", KB, null, DB_BACKUPS],
      ["2026-04-10T02:00:07.884Z", "bucket.reencrypt-requested", "accepted", KB, null, APP_BACKUPS],
      ["2026-07-08T02:00:03.774Z", "key.version-created", "succeeded", KB, null, null],
      ["2026-07-08T02:00:05.902Z", "bucket.reencrypt-requested", "accepted", KB, null, DB_BACKUPS],
      ["2026-07-08T02:00:07.315Z", "bucket.reencrypt-requested", "accepted", KB, null, APP_BACKUPS],
      ["2026-10-05T02:00:04.052Z", "key.version-created", "succeeded", KB, null, null],
      ["2026-10-05T02:00:06.118Z", "bucket.reencrypt-requested", "accepted", KB, null, DB_BACKUPS],
      ["2026-10-05T02:00:07.640Z", "bucket.reencrypt-requested", "accepted", KB, null, APP_BACKUPS],
      ["2026-10-13T14:22:09.331Z", "key.version-deletion-scheduled", "succeeded", KB, null, null],
      ["2026-10-15T09:03:44.870Z", "key.version-deletion-cancelled", "succeeded", KB, null, null],
    ]);
    expect(kb.entries[0]).toMatchObject({ keyVersionId: KB_V1, actor: MARIA, eventId: EVENT.kbCreate, detail: null });
    expect(kb.predecessorKeyId).toBeNull();
    expect(kb.successorKeyIds).toEqual([]);
  });

  it("records each bucket's three re-encryptions as accepted work requests, not as finished", () => {
    const reencrypts = (id: string) =>
      ofAction(timeline(resources, id), "bucket.reencrypt-requested").map((e) => [e.time, e.outcome, e.responseStatus, e.workRequestId, e.keyId]);
    expect(reencrypts(DB_BACKUPS)).toEqual([
      ["2026-04-10T02:00:06.530Z", "accepted", "202", WR.db[0], KB],
      ["2026-07-08T02:00:05.902Z", "accepted", "202", WR.db[1], KB],
      ["2026-10-05T02:00:06.118Z", "accepted", "202", WR.db[2], KB],
    ]);
    expect(reencrypts(APP_BACKUPS)).toEqual([
      ["2026-04-10T02:00:07.884Z", "accepted", "202", WR.app[0], KB],
      ["2026-07-08T02:00:07.315Z", "accepted", "202", WR.app[1], KB],
      ["2026-10-05T02:00:07.640Z", "accepted", "202", WR.app[2], KB],
    ]);
  });

  it("counts the record Service Connector delivered twice only once", () => {
    const app = timeline(resources, APP_BACKUPS);
    expect(app.entries.filter((e) => e.eventId === EVENT.r3App)).toHaveLength(1);
  });

  it("shows each bucket's key assignment and a tags-only update as a plain bucket update", () => {
    expect(rows(timeline(resources, DB_BACKUPS)).slice(0, 1)).toEqual([
      ["2026-01-12T09:20:03.117Z", "bucket.kms-key-updated", "succeeded", KB, null, DB_BACKUPS],
    ]);
    const app = timeline(resources, APP_BACKUPS);
    expect(app.entries).toHaveLength(5);
    expect(app.entries.slice(0, 2).map((e) => [e.time, e.action, e.keyId, e.detail, e.actor])).toEqual([
      ["2026-01-12T09:21:47.905Z", "bucket.kms-key-updated", KB, `kmsKeyId Oracle-managed key → ${KB}`, MARIA],
      ["2026-01-12T09:25:40.006Z", "bucket.updated", null, "changed: freeformTags", MARIA],
    ]);
  });

  it("shows the volume key lineage K1 → K2 → K3 on each key of the chain", () => {
    expect(keys.map((t) => [t.subjectId, t.predecessorKeyId, t.successorKeyIds])).toEqual([
      [K2, K1, [K3]],
      [K1, null, [K2]],
      [KB, null, []],
      [K3, K2, []],
    ]);
    expect(rows(timeline(keys, K1))).toEqual([
      ["2026-04-14T10:02:37.612Z", "key.created", "succeeded", K1, null, null],
      ["2026-04-14T10:06:12.048Z", "volume.kms-key-updated", "accepted", K1, null, VOLUME],
      ["2026-04-14T10:07:55.731Z", "boot-volume.kms-key-updated", "accepted", K1, null, BOOT_VOLUME],
      ["2026-07-10T02:00:11.208Z", "key.successor-created", "succeeded", K2, K1, null],
      ["2026-07-10T02:00:14.660Z", "volume.kms-key-updated", "succeeded", K2, K1, VOLUME],
      ["2026-07-10T02:00:16.877Z", "boot-volume.kms-key-updated", "succeeded", K2, K1, BOOT_VOLUME],
    ]);
    expect(rows(timeline(keys, K2))).toEqual([
      ["2026-07-10T02:00:11.208Z", "key.created", "succeeded", K2, K1, null],
      ["2026-07-10T02:00:14.660Z", "volume.kms-key-updated", "succeeded", K2, K1, VOLUME],
      ["2026-07-10T02:00:16.877Z", "boot-volume.kms-key-updated", "succeeded", K2, K1, BOOT_VOLUME],
      ["2026-10-06T02:00:09.733Z", "key.successor-created", "succeeded", K3, K2, null],
      ["2026-10-06T02:00:13.950Z", "boot-volume.kms-key-updated", "succeeded", K3, K2, BOOT_VOLUME],
      ["2026-10-06T02:47:31.026Z", "volume.kms-key-updated", "succeeded", K3, K2, VOLUME],
    ]);
    expect(rows(timeline(keys, K3))).toEqual([
      ["2026-10-06T02:00:09.733Z", "key.created", "succeeded", K3, K2, null],
      ["2026-10-06T02:00:13.950Z", "boot-volume.kms-key-updated", "succeeded", K3, K2, BOOT_VOLUME],
      ["2026-10-06T02:47:31.026Z", "volume.kms-key-updated", "succeeded", K3, K2, VOLUME],
    ]);
  });

  it("gives each key's creation its first version and each successor a detail naming its predecessor", () => {
    const created = keys.map((t) => ofAction(t, "key.created")[0]).map((e) => [e?.keyId, e?.keyVersionId, e?.actor, e?.detail]);
    expect(created).toEqual([
      [K2, K2_V1, KEYPROOF, `successor of ${K1}`],
      [K1, K1_V1, MARIA, null],
      [KB, KB_V1, MARIA, null],
      [K3, K3_V1, KEYPROOF, `successor of ${K2}`],
    ]);
    const successor = ofAction(timeline(keys, K1), "key.successor-created")[0];
    expect(successor).toMatchObject({ eventId: EVENT.k2Create, detail: `successor ${K2} created`, keyVersionId: K2_V1 });
  });

  it("shows the failed volume re-key with OCI's message, then the retry that succeeded", () => {
    const volume = timeline(resources, VOLUME);
    expect(rows(volume)).toEqual([
      ["2026-04-14T10:06:12.048Z", "volume.kms-key-updated", "accepted", K1, null, VOLUME],
      ["2026-07-10T02:00:14.660Z", "volume.kms-key-updated", "succeeded", K2, K1, VOLUME],
      ["2026-10-06T02:00:12.419Z", "volume.kms-key-updated", "failed", null, null, VOLUME],
      ["2026-10-06T02:47:31.026Z", "volume.kms-key-updated", "succeeded", K3, K2, VOLUME],
    ]);
    expect(volume.entries[2]).toEqual({
      time: "2026-10-06T02:00:12.419Z",
      action: "volume.kms-key-updated",
      actor: KEYPROOF,
      outcome: "failed",
      responseStatus: "409",
      keyId: null,
      previousKeyId: null,
      resourceId: VOLUME,
      keyVersionId: null,
      workRequestId: null,
      timeOfDeletion: null,
      verifiedBy: null,
      detail: `IncorrectState: ${BACKUP_IN_PROGRESS}`,
      eventId: EVENT.volK3Failed,
      eventType: "com.oraclecloud.BlockVolumes.UpdateVolumeKmsKey",
      requestId: "B0E1227581F8-1223-1C25-0695C4923BED/64109E347833D8130B30789025F0EB20/A1E19ECE60FEB96A3E3AA28C6EFA78E6",
    });
    expect(volume.entries[3]).toMatchObject({
      eventId: EVENT.volK3,
      verifiedBy: { eventId: EVENT.volK3ReadBack, time: "2026-10-06T02:47:31.611Z" },
      detail: `kmsKeyId ${K2} → ${K3}; read back at 2026-10-06T02:47:31.611Z (event ${EVENT.volK3ReadBack})`,
    });
    expect(volume.entries[0]!.detail).toBe(`kmsKeyId Oracle-managed key → ${K1}`);
  });

  it("proves each keyproof volume move by the read-back after it and leaves the Console moves without one accepted", () => {
    const moves = [...timeline(resources, VOLUME).entries, ...timeline(resources, BOOT_VOLUME).entries];
    expect(moves.map((e) => [e.eventId, e.time, e.outcome, e.verifiedBy])).toEqual([
      [EVENT.volK1, "2026-04-14T10:06:12.048Z", "accepted", null],
      [EVENT.volK2, "2026-07-10T02:00:14.660Z", "succeeded", { eventId: EVENT.volK2ReadBack, time: "2026-07-10T02:00:15.102Z" }],
      [EVENT.volK3Failed, "2026-10-06T02:00:12.419Z", "failed", null],
      [EVENT.volK3, "2026-10-06T02:47:31.026Z", "succeeded", { eventId: EVENT.volK3ReadBack, time: "2026-10-06T02:47:31.611Z" }],
      [EVENT.bootK1, "2026-04-14T10:07:55.731Z", "accepted", null],
      [EVENT.bootK2, "2026-07-10T02:00:16.877Z", "succeeded", { eventId: EVENT.bootK2ReadBack, time: "2026-07-10T02:00:17.301Z" }],
      [EVENT.bootK3, "2026-10-06T02:00:13.950Z", "succeeded", { eventId: EVENT.bootK3ReadBack, time: "2026-10-06T02:00:14.388Z" }],
    ]);
    expect(timeline(resources, BOOT_VOLUME).entries.map((e) => e.detail)).toEqual([
      `kmsKeyId Oracle-managed key → ${K1}`,
      `kmsKeyId ${K1} → ${K2}; read back at 2026-07-10T02:00:17.301Z (event ${EVENT.bootK2ReadBack})`,
      `kmsKeyId ${K2} → ${K3}; read back at 2026-10-06T02:00:14.388Z (event ${EVENT.bootK3ReadBack})`,
    ]);
  });

  it("shows the proof on the key timelines too, the same as on the volume's", () => {
    const onK3 = timeline(keys, K3).entries.filter((e) => e.resourceId !== null);
    const onK2 = timeline(keys, K2).entries.filter((e) => e.keyId === K3 && e.resourceId !== null);
    const expected = [
      [EVENT.bootK3, { eventId: EVENT.bootK3ReadBack, time: "2026-10-06T02:00:14.388Z" }],
      [EVENT.volK3, { eventId: EVENT.volK3ReadBack, time: "2026-10-06T02:47:31.611Z" }],
    ];
    expect(onK3.map((e) => [e.eventId, e.verifiedBy])).toEqual(expected);
    expect(onK2.map((e) => [e.eventId, e.verifiedBy])).toEqual(expected);
  });

  it("still proves an October move in the October window, and a 1-minute read-back window is enough here", () => {
    const october = buildTimelines(readAuditExportEvents(), { from: "2026-10-01T00:00:00.000Z", to: "2026-11-01T00:00:00.000Z", readBackWithinHours: 1 / 60 });
    expect(timeline(october.resources, VOLUME).entries.map((e) => [e.eventId, e.outcome, e.verifiedBy?.eventId ?? null])).toEqual([
      [EVENT.volK3Failed, "failed", null],
      [EVENT.volK3, "succeeded", EVENT.volK3ReadBack],
    ]);
  });

  it("proves none of the moves with a read-back window shorter than the read-backs' delay", () => {
    // The read-backs come 0.424 to 0.585 s after their updates, so a 0.4 s window proves none of them.
    const tight = buildTimelines(readAuditExportEvents(), { readBackWithinHours: 0.4 / 3600 });
    const moves = [...timeline(tight.resources, VOLUME).entries, ...timeline(tight.resources, BOOT_VOLUME).entries];
    expect(moves.map((e) => e.outcome)).toEqual(["accepted", "accepted", "failed", "accepted", "accepted", "accepted", "accepted"]);
    expect(moves.every((e) => e.verifiedBy === null)).toBe(true);
  });

  it("moves the boot volume K1 → K2 → K3 without a failure", () => {
    expect(rows(timeline(resources, BOOT_VOLUME))).toEqual([
      ["2026-04-14T10:07:55.731Z", "boot-volume.kms-key-updated", "accepted", K1, null, BOOT_VOLUME],
      ["2026-07-10T02:00:16.877Z", "boot-volume.kms-key-updated", "succeeded", K2, K1, BOOT_VOLUME],
      ["2026-10-06T02:00:13.950Z", "boot-volume.kms-key-updated", "succeeded", K3, K2, BOOT_VOLUME],
    ]);
  });

  it("shows the scheduled and then cancelled deletion of the bucket key's first version with its date", () => {
    const kb = timeline(keys, KB);
    const pair = kb.entries.filter((e) => e.keyVersionId === KB_V1 && e.action !== "key.created");
    expect(pair.map((e) => [e.time, e.action, e.actor, e.timeOfDeletion, e.detail, e.eventId])).toEqual([
      [
        "2026-10-13T14:22:09.331Z", "key.version-deletion-scheduled", JONAS, "2026-11-12T14:22:09.000Z",
        "deletion scheduled for 2026-11-12T14:22:09.000Z", EVENT.kbv1Schedule,
      ],
      [
        "2026-10-15T09:03:44.870Z", "key.version-deletion-cancelled", MARIA, "2026-11-12T14:22:09.000Z",
        "deletion scheduled for 2026-11-12T14:22:09.000Z cancelled", EVENT.kbv1Cancel,
      ],
    ]);
  });

  it("keeps the October entries of a window while still knowing the buckets' key from January", () => {
    const october = buildTimelines(readAuditExportEvents(), { from: "2026-10-01T00:00:00.000Z", to: "2026-11-01T00:00:00.000Z" });
    expect(october.keys.map((t) => [t.subjectId, t.entries.length, t.predecessorKeyId])).toEqual([
      [K2, 3, K1],
      [KB, 5, null],
      [K3, 3, K2],
    ]);
    expect(october.resources.map((t) => [t.subjectId, t.entries.length])).toEqual([
      [APP_BACKUPS, 1],
      [DB_BACKUPS, 1],
      [BOOT_VOLUME, 1],
      [VOLUME, 2],
    ]);
    expect(ofAction(timeline(october.keys, KB), "bucket.reencrypt-requested").map((e) => [e.resourceId, e.workRequestId])).toEqual([
      [DB_BACKUPS, WR.db[2]],
      [APP_BACKUPS, WR.app[2]],
    ]);
  });

  it("leaves read-only calls and the untouched bucket out of every timeline", () => {
    const all = [...keys, ...resources].flatMap((t) => t.entries);
    expect(all.some((e) => /\.(Get|List)\w*$|\.(get|list)\w*$/.test(e.eventType))).toBe(false);
    expect(resources.some((t) => t.subjectId.endsWith("/web-assets"))).toBe(false);
  });
});
