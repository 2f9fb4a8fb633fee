/**
 * Timelines of the default test pack (see pack-data-factory.ts) and a lean generator of very large
 * months (cases.md B32). Ids are deterministic fake OCIDs and UUIDs derived from a label.
 */
import { createHash } from "node:crypto";
import type { Timeline, TimelineEntry } from "../../src/timeline/timeline.js";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** A deterministic OCID-shaped id: `ocid1.<kind>.oc1.<region>.<60 chars>` (".." form when region is ""). */
export function fakeOcid(kind: string, label: string, region = "eu-frankfurt-1"): string {
  const digest = createHash("sha256").update(`${kind}:${label}`).digest();
  let tail = "";
  for (let i = 0; tail.length < 60; i++) tail += BASE32[(digest[i % digest.length] ?? 0) % 32];
  return region ? `ocid1.${kind}.oc1.${region}.${tail}` : `ocid1.${kind}.oc1..aaaaaaaa${tail.slice(0, 52)}`;
}

/** A deterministic UUID-shaped event id. */
export function fakeUuid(label: string): string {
  const h = createHash("sha256").update(label).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Ids of the default pack's subjects, for assertions. */
export const ID = {
  tenancy: fakeOcid("tenancy", "acme", ""),
  compartmentBackups: fakeOcid("compartment", "backups-prod", ""),
  compartmentArchive: fakeOcid("compartment", "backups-archive", ""),
  bucketKeyProd: fakeOcid("key", "bucket-key-prod"),
  bucketKeyArchive: fakeOcid("key", "bucket-key-archive"),
  volumeKeyQ3: fakeOcid("key", "volume-key-2026q3"),
  volumeKeyQ4: fakeOcid("key", "volume-key-2026q4"),
  bucketProd: "/n/frnj6sfkc1ep/b/backups-prod",
  bucketArchive: "/n/frnj6sfkc1ep/b/backups-archive",
  volume: fakeOcid("volume", "db-backup-volume-01"),
  bootVolume: fakeOcid("bootvolume", "app-boot-volume-01"),
  workRequest: fakeOcid("objectstorageworkrequest", "reencrypt-backups-prod"),
} as const;

const OPS = "oracleidentitycloudservice/ops.engineer@example.com";
const ROTATOR = "keyproof-rotation (instance principal)";

function entry(label: string, fields: Partial<TimelineEntry> & Pick<TimelineEntry, "time" | "action" | "eventType">): TimelineEntry {
  return {
    actor: ROTATOR,
    outcome: "succeeded",
    responseStatus: "200",
    keyId: null,
    previousKeyId: null,
    resourceId: null,
    keyVersionId: null,
    workRequestId: null,
    timeOfDeletion: null,
    verifiedBy: null,
    detail: null,
    eventId: fakeUuid(label),
    requestId: fakeUuid(`request:${label}`).replace(/-/g, "").toUpperCase(),
    ...fields,
  };
}

function subject(fields: Partial<Timeline> & Pick<Timeline, "subjectKind" | "subjectId" | "entries">): Timeline {
  return {
    displayName: null,
    compartmentId: ID.compartmentBackups,
    compartmentName: "Backups-Prod",
    predecessorKeyId: null,
    successorKeyIds: [],
    ...fields,
  };
}

const KMS = "com.oraclecloud.kms.keymanagement";
const OS = "com.oraclecloud.objectstorage";
const BV = "com.oraclecloud.blockvolumes";

/** The two bucket keys and the two buckets they protect. */
export function buildPrimaryTimelines(): { keys: Timeline[]; resources: Timeline[] } {
  const reencryptProd = entry("reencrypt-prod", {
    time: "2026-10-03T08:16:05.004Z", action: "bucket.reencrypt-requested", eventType: `${OS}.reencryptbucket`, outcome: "accepted",
    responseStatus: "202", keyId: ID.bucketKeyProd, resourceId: ID.bucketProd, workRequestId: ID.workRequest,
  });
  const reencryptArchive = entry("reencrypt-archive", {
    time: "2026-10-14T09:30:00.000Z", action: "bucket.reencrypt-requested", eventType: `${OS}.reencryptbucket`, outcome: "failed",
    responseStatus: "409", keyId: ID.bucketKeyArchive, resourceId: ID.bucketArchive, detail: "Conflict: the bucket has a work request in progress",
  });
  const keyProd = subject({
    subjectKind: "key", subjectId: ID.bucketKeyProd, displayName: "backup-bucket-key-prod",
    entries: [
      entry("prod-v7", { time: "2026-10-03T08:15:42.123Z", action: "key.version-created", eventType: `${KMS}.createkeyversion`, actor: OPS, keyId: ID.bucketKeyProd, keyVersionId: fakeOcid("keyversion", "bucket-key-prod-v7") }),
      reencryptProd,
      entry("prod-tags", { time: "2026-10-15T12:00:00.000Z", action: "key.updated", eventType: `${KMS}.updatekey`, actor: OPS, keyId: ID.bucketKeyProd, detail: "freeformTags backup-encryption=enabled, retention-period=2555" }),
    ],
  });
  const keyArchive = subject({
    subjectKind: "key", subjectId: ID.bucketKeyArchive, displayName: "backup-bucket-key-archive",
    compartmentId: ID.compartmentArchive, compartmentName: "Backups-Archive",
    entries: [
      entry("archive-auto-start", { time: "2026-10-12T04:00:00.000Z", action: "key.auto-rotation-started", eventType: `${KMS}.autorotatekey.begin`, actor: null, keyId: ID.bucketKeyArchive }),
      entry("archive-auto-end", { time: "2026-10-12T04:00:03.412Z", action: "key.auto-rotation-finished", eventType: `${KMS}.autorotatekey.end`, actor: null, keyId: ID.bucketKeyArchive, keyVersionId: fakeOcid("keyversion", "bucket-key-archive-v3") }),
      entry("archive-v3", { time: "2026-10-12T04:00:03.900Z", action: "key.version-created", eventType: `${KMS}.createkeyversion`, actor: null, keyId: ID.bucketKeyArchive, keyVersionId: fakeOcid("keyversion", "bucket-key-archive-v3") }),
      reencryptArchive,
      entry("archive-v1-delete", { time: "2026-10-20T10:00:00.000Z", action: "key.version-deletion-scheduled", eventType: `${KMS}.schedulekeyversiondeletion`, actor: OPS, keyId: ID.bucketKeyArchive, keyVersionId: fakeOcid("keyversion", "bucket-key-archive-v1"), timeOfDeletion: "2026-11-19T10:00:00.000Z" }),
      entry("archive-v1-cancel", { time: "2026-10-20T10:42:10.000Z", action: "key.version-deletion-cancelled", eventType: `${KMS}.cancelkeyversiondeletion`, actor: OPS, keyId: ID.bucketKeyArchive, keyVersionId: fakeOcid("keyversion", "bucket-key-archive-v1") }),
    ],
  });
  const bucketProd = subject({ subjectKind: "bucket", subjectId: ID.bucketProd, displayName: "backups-prod", entries: [reencryptProd] });
  const bucketArchive = subject({
    subjectKind: "bucket", subjectId: ID.bucketArchive, displayName: "backups-archive", compartmentId: ID.compartmentArchive, compartmentName: "Backups-Archive",
    entries: [
      entry("archive-bucket-key", { time: "2026-10-01T06:00:00.000Z", action: "bucket.kms-key-updated", eventType: `${OS}.updatebucket`, actor: OPS, keyId: ID.bucketKeyArchive, resourceId: ID.bucketArchive, detail: `kmsKeyId → ${ID.bucketKeyArchive}` }),
      reencryptArchive,
    ],
  });
  return { keys: [keyProd, keyArchive], resources: [bucketProd, bucketArchive] };
}

/** The volume key lineage 2026q3 → 2026q4 and the volume and boot volume moved to the successor. */
export function buildLineageTimelines(): { keys: Timeline[]; resources: Timeline[] } {
  const moveVolume = entry("move-volume", {
    time: "2026-10-07T02:01:10.250Z", action: "volume.kms-key-updated", eventType: `${BV}.updatevolumekmskey`, outcome: "succeeded",
    keyId: ID.volumeKeyQ4, previousKeyId: ID.volumeKeyQ3, resourceId: ID.volume, detail: `kmsKeyId ${ID.volumeKeyQ3} → ${ID.volumeKeyQ4}`,
  });
  const moveBoot = entry("move-boot", {
    time: "2026-10-07T02:01:40.800Z", action: "boot-volume.kms-key-updated", eventType: `${BV}.updatebootvolumekmskey`,
    keyId: ID.volumeKeyQ4, previousKeyId: ID.volumeKeyQ3, resourceId: ID.bootVolume,
  });
  const created = { time: "2026-10-07T02:00:00.000Z", eventType: `${KMS}.createkey`, keyId: ID.volumeKeyQ4, previousKeyId: ID.volumeKeyQ3 } as const;
  const q3 = subject({
    subjectKind: "key", subjectId: ID.volumeKeyQ3, displayName: "backup-volume-key-2026q3", successorKeyIds: [ID.volumeKeyQ4],
    entries: [entry("q4-created", { ...created, action: "key.successor-created" }), moveVolume, moveBoot],
  });
  const q4 = subject({
    subjectKind: "key", subjectId: ID.volumeKeyQ4, displayName: "backup-volume-key-2026q4", predecessorKeyId: ID.volumeKeyQ3,
    entries: [entry("q4-created", { ...created, action: "key.created", detail: `predecessor tag → ${ID.volumeKeyQ3}` }), moveVolume, moveBoot],
  });
  const volume = subject({ subjectKind: "volume", subjectId: ID.volume, displayName: "db-backup-volume-01", entries: [moveVolume] });
  const boot = subject({ subjectKind: "boot-volume", subjectId: ID.bootVolume, displayName: "app-boot-volume-01", entries: [moveBoot] });
  return { keys: [q3, q4], resources: [volume, boot] };
}

/**
 * `keys` key timelines of `entriesPerKey` entries each (B32: 50 × 5,000 = 250,000). Lean on
 * memory: only the time and event id of an entry are distinct strings.
 */
export function buildLargeKeyTimelines(keys: number, entriesPerKey: number): Timeline[] {
  const start = Date.UTC(2026, 9, 1);
  const step = Math.floor((31 * 86_400_000) / entriesPerKey);
  const out: Timeline[] = [];
  for (let k = 0; k < keys; k++) {
    const keyId = fakeOcid("key", `large-${k}`);
    const entries: TimelineEntry[] = new Array(entriesPerKey);
    for (let i = 0; i < entriesPerKey; i++) {
      entries[i] = {
        time: new Date(start + i * step + k).toISOString(),
        action: "key.updated",
        actor: ROTATOR,
        outcome: "succeeded",
        responseStatus: "200",
        keyId,
        previousKeyId: null,
        resourceId: null,
        keyVersionId: null,
        workRequestId: null,
        timeOfDeletion: null,
        verifiedBy: null,
        detail: null,
        eventId: `${k.toString(16).padStart(8, "0")}-0000-4000-a000-${i.toString(16).padStart(12, "0")}`,
        eventType: `${KMS}.updatekey`,
        requestId: null,
      };
    }
    out.push(subject({ subjectKind: "key", subjectId: keyId, displayName: `bulk-key-${String(k).padStart(2, "0")}`, entries }));
  }
  return out;
}
