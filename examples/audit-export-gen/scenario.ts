/**
 * The example story, call by call, in time order (examples/README.md lists the facts it yields).
 * History before 2026-07 was exported with Audit ListEvents; from 2026-07 a Service Connector
 * archives the `_Audit` log to Object Storage.
 */
import {
  cancelKeyVersionDeletion, createKey, createKeyVersion, getBucket, getKey, getVolumeKmsKey, listKeys,
  reencryptBucket, scheduleKeyVersionDeletion, updateBucket, updateVolumeKmsKey,
} from "./calls.js";
import type { ApiCall } from "./envelopes.js";
import {
  APP_BACKUPS, BOOT_VOLUME, DB_BACKUPS, JONAS, K1, K2, K3, KB, KB_V2, KB_V3, KB_V4, KEYPROOF, MARIA,
  VOLUME, WEB_ASSETS, reencryptWorkRequest, type BucketFixture, type KeyFixture,
} from "./tenancy.js";

/** Where a call's record ends up: the ListEvents history file or the Service Connector archive. */
export type Sink = "listevents" | "connector";

export interface StoryEvent {
  call: ApiCall;
  sink: Sink;
  /** Service Connector delivered this record a second time, in the next object of its window. */
  redelivered?: boolean;
}

const ENABLED = { "backup-encryption": "enabled" };
const APP_TAGS = { "backup-encryption": "enabled", "cost-center": "cc-4410" };

/** One rotation of the bucket key: a new version, then one ReencryptBucket per tagged bucket. */
function bucketRotation(n: number, version: string, times: [string, string, string], sink: Sink): StoryEvent[] {
  const reencrypt = (bucket: BucketFixture, tags: Record<string, string>, time: string): ApiCall =>
    reencryptBucket({ label: `r${n}-${bucket.name}`, time, actor: KEYPROOF, bucket, tags, workRequestId: reencryptWorkRequest(n, bucket.name) });
  return [
    { sink, call: createKeyVersion({ label: `r${n}-kv`, time: times[0], actor: KEYPROOF, key: KB, version }) },
    { sink, call: reencrypt(DB_BACKUPS, ENABLED, times[1]) },
    { sink, call: reencrypt(APP_BACKUPS, APP_TAGS, times[2]), redelivered: n === 3 },
  ];
}

/** A successor key with the predecessor's tags plus `predecessor` (DESIGN §3, volumes). */
function successorKey(label: string, time: string, key: KeyFixture, predecessor: KeyFixture): ApiCall {
  return createKey({ label, time, actor: KEYPROOF, key, tags: { ...ENABLED, predecessor: predecessor.id } });
}

const vol = (label: string, time: string, boot: boolean, from: string | null, to: string, actor = KEYPROOF) =>
  updateVolumeKmsKey({ label, time, actor, volume: boot ? BOOT_VOLUME : VOLUME, boot, from, to });
const readBack = (label: string, time: string, boot: boolean, kmsKeyId: string) =>
  getVolumeKmsKey({ label, time, actor: KEYPROOF, volume: boot ? BOOT_VOLUME : VOLUME, boot, kmsKeyId });

const KB_V1_CREATED = "2026-01-12T09:14:21.441Z";
const KB_V1_DELETION = "2026-11-12T14:22:09.000Z";

const history: StoryEvent[] = [
  { sink: "listevents", call: createKey({ label: "kb-create", time: "2026-01-12T09:14:21.482Z", actor: MARIA, key: KB, tags: ENABLED }) },
  {
    sink: "listevents",
    call: updateBucket({
      label: "db-kms", time: "2026-01-12T09:20:03.117Z", actor: MARIA, bucket: DB_BACKUPS,
      previous: { kmsKeyId: null, freeformTags: {} }, current: { kmsKeyId: KB.id, freeformTags: ENABLED },
    }),
  },
  {
    sink: "listevents",
    call: updateBucket({
      label: "app-kms", time: "2026-01-12T09:21:47.905Z", actor: MARIA, bucket: APP_BACKUPS,
      previous: { kmsKeyId: null, freeformTags: {} }, current: { kmsKeyId: KB.id, freeformTags: ENABLED },
    }),
  },
  {
    sink: "listevents",
    call: updateBucket({
      label: "app-tags", time: "2026-01-12T09:25:40.006Z", actor: MARIA, bucket: APP_BACKUPS,
      previous: { kmsKeyId: KB.id, freeformTags: ENABLED }, current: { kmsKeyId: KB.id, freeformTags: APP_TAGS },
    }),
  },
  { sink: "listevents", call: getKey({ label: "kb-get", time: "2026-01-20T11:02:13.550Z", actor: MARIA, key: KB }) },
  { sink: "listevents", call: listKeys({ label: "list-keys-feb", time: "2026-02-03T08:00:01.204Z", actor: KEYPROOF }) },
  ...bucketRotation(1, KB_V2, ["2026-04-10T02:00:04.211Z", "2026-04-10T02:00:06.530Z", "2026-04-10T02:00:07.884Z"], "listevents"),
  { sink: "listevents", call: createKey({ label: "k1-create", time: "2026-04-14T10:02:37.612Z", actor: MARIA, key: K1, tags: ENABLED }) },
  { sink: "listevents", call: vol("vol-k1", "2026-04-14T10:06:12.048Z", false, null, K1.id, MARIA) },
  { sink: "listevents", call: vol("boot-k1", "2026-04-14T10:07:55.731Z", true, null, K1.id, MARIA) },
  { sink: "listevents", call: getBucket({ label: "web-get", time: "2026-05-18T13:40:09.377Z", actor: MARIA, bucket: WEB_ASSETS, tags: {} }) },
];

const BACKUP_IN_PROGRESS =
  `Volume ${VOLUME.id} is not in a valid state for this operation: a volume backup is in progress. Retry after the backup completes.`;

const live: StoryEvent[] = [
  ...bucketRotation(2, KB_V3, ["2026-07-08T02:00:03.774Z", "2026-07-08T02:00:05.902Z", "2026-07-08T02:00:07.315Z"], "connector"),
  { sink: "connector", call: successorKey("k2-create", "2026-07-10T02:00:11.208Z", K2, K1) },
  { sink: "connector", call: vol("vol-k2", "2026-07-10T02:00:14.660Z", false, K1.id, K2.id) },
  { sink: "connector", call: readBack("vol-k2-read", "2026-07-10T02:00:15.102Z", false, K2.id) },
  { sink: "connector", call: vol("boot-k2", "2026-07-10T02:00:16.877Z", true, K1.id, K2.id) },
  { sink: "connector", call: readBack("boot-k2-read", "2026-07-10T02:00:17.301Z", true, K2.id) },
  { sink: "connector", call: listKeys({ label: "list-keys-aug", time: "2026-08-01T02:00:00.912Z", actor: KEYPROOF }) },
  ...bucketRotation(3, KB_V4, ["2026-10-05T02:00:04.052Z", "2026-10-05T02:00:06.118Z", "2026-10-05T02:00:07.640Z"], "connector"),
  { sink: "connector", call: successorKey("k3-create", "2026-10-06T02:00:09.733Z", K3, K2) },
  {
    sink: "connector",
    call: updateVolumeKmsKey({
      label: "vol-k3-failed", time: "2026-10-06T02:00:12.419Z", actor: KEYPROOF, volume: VOLUME, boot: false, from: K2.id, to: K3.id,
      error: { status: "409", code: "IncorrectState", message: BACKUP_IN_PROGRESS },
    }),
  },
  { sink: "connector", call: vol("boot-k3", "2026-10-06T02:00:13.950Z", true, K2.id, K3.id) },
  { sink: "connector", call: readBack("boot-k3-read", "2026-10-06T02:00:14.388Z", true, K3.id) },
  { sink: "connector", call: vol("vol-k3", "2026-10-06T02:47:31.026Z", false, K2.id, K3.id) },
  { sink: "connector", call: readBack("vol-k3-read", "2026-10-06T02:47:31.611Z", false, K3.id) },
  {
    sink: "connector",
    call: scheduleKeyVersionDeletion({
      label: "kbv1-schedule", time: "2026-10-13T14:22:09.331Z", actor: JONAS, key: KB, version: KB.firstVersion,
      versionCreated: KB_V1_CREATED, timeOfDeletion: KB_V1_DELETION,
    }),
  },
  {
    sink: "connector",
    call: cancelKeyVersionDeletion({
      label: "kbv1-cancel", time: "2026-10-15T09:03:44.870Z", actor: MARIA, key: KB, version: KB.firstVersion,
      versionCreated: KB_V1_CREATED, timeOfDeletion: KB_V1_DELETION,
    }),
  },
  { sink: "connector", call: listKeys({ label: "list-keys-oct", time: "2026-10-20T16:10:40.118Z", actor: JONAS }) },
  { sink: "connector", call: getBucket({ label: "app-get", time: "2026-10-20T16:11:02.245Z", actor: JONAS, bucket: APP_BACKUPS, tags: APP_TAGS }) },
  { sink: "connector", call: getKey({ label: "k3-get", time: "2026-10-21T08:30:55.402Z", actor: JONAS, key: K3 }) },
];

/** The whole story in time order. */
export const STORY: readonly StoryEvent[] = [...history, ...live];
