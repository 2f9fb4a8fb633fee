/**
 * One builder per OCI operation used by the example story: real paths and methods (OCI-NOTES
 * §2.2, §2.5, §2.6), response payloads and stateChange blocks in the Audit v2 shape.
 */
import type { ApiCall } from "./envelopes.js";
import { hexUpper } from "./ids.js";
import {
  BACKUP_PROD, MARIA, NAMESPACE, SECURITY, VAULT,
  type Actor, type BucketFixture, type KeyFixture,
} from "./tenancy.js";

interface Common {
  label: string;
  time: string;
  actor: Actor;
}

const MS = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();
const etag = (label: string): string => hexUpper(`etag:${label}`, 64).toLowerCase();
const oracleTags = (actor: Actor, createdOn: string) => ({
  "Oracle-Tags": { CreatedBy: actor.authType === "fed" ? `oracleidentitycloudservice/${actor.principalName}` : actor.principalName, CreatedOn: createdOn },
});

function base(c: Common, rest: Partial<ApiCall> & Pick<ApiCall, "service" | "eventName" | "action" | "path">): ApiCall {
  return {
    label: c.label,
    time: c.time,
    actor: c.actor,
    parameters: {},
    compartment: SECURITY,
    resourceId: null,
    resourceName: null,
    freeformTags: null,
    definedTags: null,
    status: "200",
    responseMessage: null,
    payload: {},
    stateChange: { previous: null, current: null },
    additionalDetails: null,
    requestHeaders: {},
    responseHeaders: {},
    bodyLength: 0,
    ingestDelayMs: 3_000 + (Number.parseInt(hexUpper(`ingest:${c.label}`, 4), 16) % 9_000),
    ...rest,
  };
}

const retryToken = (label: string) => ({ "opc-retry-token": `kp-${hexUpper(`retry:${label}`, 24).toLowerCase()}` });

/** `POST /20180608/keys` (CreateKey): the Key model, tags included, is in stateChange.current. */
export function createKey(c: Common & { key: KeyFixture; tags: Record<string, string> }): ApiCall {
  const defined = oracleTags(c.actor, MS(c.time, -41));
  const current = {
    compartmentId: SECURITY.id, currentKeyVersion: c.key.firstVersion, definedTags: defined, displayName: c.key.name,
    freeformTags: c.tags, id: c.key.id, isAutoRotationEnabled: false, isPrimary: true,
    keyShape: { algorithm: "AES", length: 32 }, lifecycleState: "CREATING", protectionMode: "HSM",
    timeCreated: MS(c.time, -41), vaultId: VAULT,
  };
  return base(c, {
    service: "kms", eventName: "CreateKey", action: "POST", path: "/20180608/keys",
    resourceId: c.key.id, resourceName: c.key.name, freeformTags: c.tags, definedTags: defined,
    payload: { id: c.key.id, resourceName: c.key.name },
    stateChange: { previous: {}, current },
    requestHeaders: retryToken(c.label), responseHeaders: { ETag: etag(c.label) },
    bodyLength: JSON.stringify({ compartmentId: SECURITY.id, displayName: c.key.name, keyShape: current.keyShape, protectionMode: "HSM", freeformTags: c.tags }).length,
  });
}

/** `POST /20180608/keys/{keyId}/keyVersions` (CreateKeyVersion): the new version in payload and stateChange. */
export function createKeyVersion(c: Common & { key: KeyFixture; version: string }): ApiCall {
  return base(c, {
    service: "kms", eventName: "CreateKeyVersion", action: "POST", path: `/20180608/keys/${c.key.id}/keyVersions`,
    resourceId: c.version,
    payload: { id: c.version, resourceName: null },
    stateChange: {
      previous: {},
      current: {
        compartmentId: SECURITY.id, id: c.version, isAutoRotated: false, isPrimary: true, keyId: c.key.id,
        lifecycleState: "ENABLING", origin: "INTERNAL", timeCreated: MS(c.time, -37), vaultId: VAULT,
      },
    },
    requestHeaders: retryToken(c.label), responseHeaders: { ETag: etag(c.label) },
  });
}

function keyVersionAction(c: Common & { key: KeyFixture; version: string; versionCreated: string }, kind: "schedule" | "cancel", timeOfDeletion: string): ApiCall {
  const scheduled = kind === "schedule";
  const model = (state: string, tod: string | null) => ({
    compartmentId: SECURITY.id, id: c.version, keyId: c.key.id, lifecycleState: state, origin: "INTERNAL",
    timeCreated: c.versionCreated, timeOfDeletion: tod, vaultId: VAULT,
  });
  return base(c, {
    service: "kms",
    eventName: scheduled ? "ScheduleKeyVersionDeletion" : "CancelKeyVersionDeletion",
    action: "POST",
    path: `/20180608/keys/${c.key.id}/keyVersions/${c.version}/actions/${scheduled ? "scheduleDeletion" : "cancelDeletion"}`,
    resourceId: c.version,
    payload: scheduled ? model("SCHEDULING_DELETION", timeOfDeletion) : model("CANCELLING_DELETION", null),
    stateChange: scheduled
      ? { previous: { lifecycleState: "ENABLED", timeOfDeletion: null }, current: { lifecycleState: "SCHEDULING_DELETION", timeOfDeletion } }
      : { previous: { lifecycleState: "PENDING_DELETION", timeOfDeletion }, current: { lifecycleState: "CANCELLING_DELETION", timeOfDeletion: null } },
    requestHeaders: { ...retryToken(c.label), "if-match": etag(`${c.label}:before`) },
    responseHeaders: { ETag: etag(c.label) },
    bodyLength: scheduled ? JSON.stringify({ timeOfDeletion }).length : 0,
  });
}

/** `POST .../keyVersions/{keyVersionId}/actions/scheduleDeletion` with `timeOfDeletion` in the payload. */
export function scheduleKeyVersionDeletion(c: Common & { key: KeyFixture; version: string; versionCreated: string; timeOfDeletion: string }): ApiCall {
  return keyVersionAction(c, "schedule", c.timeOfDeletion);
}

/** `POST .../keyVersions/{keyVersionId}/actions/cancelDeletion`. */
export function cancelKeyVersionDeletion(c: Common & { key: KeyFixture; version: string; versionCreated: string; timeOfDeletion: string }): ApiCall {
  return keyVersionAction(c, "cancel", c.timeOfDeletion);
}

/** `GET /20180608/keys/{keyId}` (read-only noise). */
export function getKey(c: Common & { key: KeyFixture }): ApiCall {
  return base(c, {
    service: "kms", eventName: "GetKey", action: "GET", path: `/20180608/keys/${c.key.id}`,
    resourceId: c.key.id, resourceName: c.key.name, payload: { id: c.key.id, resourceName: c.key.name },
    responseHeaders: { ETag: etag(c.label) },
  });
}

/** `GET /20180608/keys?compartmentId=...` (read-only noise). */
export function listKeys(c: Common): ApiCall {
  return base(c, {
    service: "kms", eventName: "ListKeys", action: "GET", path: "/20180608/keys",
    parameters: { compartmentId: [SECURITY.id], limit: ["100"] },
  });
}

interface VolumeRef {
  id: string;
  name: string;
}
const VOLUME_TAGS = { "backup-encryption": "enabled" };

/**
 * `PUT /20160918/volumes/{volumeId}/kmsKey` (UpdateVolumeKmsKey) or `PUT /20160918/bootVolumes/
 * {bootVolumeId}/kmsKey` (UpdateBootVolumeKmsKey). On failure OCI's error is in `response.message`
 * and the payload; Audit records carry no request body, so a failed call does not name the target key.
 */
export function updateVolumeKmsKey(
  c: Common & { volume: VolumeRef; boot: boolean; from: string | null; to: string; error?: { status: string; code: string; message: string } },
): ApiCall {
  const ok = !c.error;
  return base(c, {
    service: "block", eventName: c.boot ? "UpdateBootVolumeKmsKey" : "UpdateVolumeKmsKey", action: "PUT",
    path: `/20160918/${c.boot ? "bootVolumes" : "volumes"}/${c.volume.id}/kmsKey`,
    compartment: BACKUP_PROD, resourceId: c.volume.id, resourceName: c.volume.name,
    freeformTags: VOLUME_TAGS, definedTags: oracleTags(MARIA, "2026-03-02T08:41:19.512Z"),
    status: c.error?.status ?? "200",
    responseMessage: c.error?.message ?? null,
    payload: ok ? { kmsKeyId: c.to } : { code: c.error!.code, message: c.error!.message },
    stateChange: ok ? { previous: { kmsKeyId: c.from }, current: { kmsKeyId: c.to } } : { previous: null, current: null },
    requestHeaders: { "if-match": etag(`${c.label}:before`) },
    responseHeaders: ok ? { ETag: etag(c.label) } : {},
    bodyLength: JSON.stringify({ kmsKeyId: c.to }).length,
  });
}

/** `GET /20160918/(volumes|bootVolumes)/{id}/kmsKey`: keyproof's read-back (read-only, not a timeline entry). */
export function getVolumeKmsKey(c: Common & { volume: VolumeRef; boot: boolean; kmsKeyId: string }): ApiCall {
  return base(c, {
    service: "block", eventName: c.boot ? "GetBootVolumeKmsKey" : "GetVolumeKmsKey", action: "GET",
    path: `/20160918/${c.boot ? "bootVolumes" : "volumes"}/${c.volume.id}/kmsKey`,
    compartment: BACKUP_PROD, resourceId: c.volume.id, resourceName: c.volume.name,
    freeformTags: VOLUME_TAGS, definedTags: oracleTags(MARIA, "2026-03-02T08:41:19.512Z"),
    payload: { kmsKeyId: c.kmsKeyId },
    responseHeaders: { ETag: etag(c.label) },
  });
}

function bucketCommon(c: Common, b: BucketFixture, tags: Record<string, string>) {
  return {
    compartment: BACKUP_PROD,
    resourceId: `${b.path}/`,
    resourceName: b.name,
    parameters: { param0: [NAMESPACE], param1: [b.name] },
    freeformTags: tags,
    definedTags: oracleTags(MARIA, "2025-11-20T15:03:27.904Z"),
    additionalDetails: { bucketName: b.name, eTag: etag(c.label), namespace: NAMESPACE, publicAccessType: "NoPublicAccess", versioning: "Enabled" },
  };
}

interface BucketState {
  kmsKeyId: string | null;
  freeformTags: Record<string, string>;
}

/** `POST /n/{ns}/b/{bucket}` (UpdateBucket): kmsKeyId and tags before/after in stateChange. */
export function updateBucket(c: Common & { bucket: BucketFixture; previous: BucketState; current: BucketState }): ApiCall {
  return base(c, {
    service: "objectstorage", eventName: "UpdateBucket", action: "POST", path: `${c.bucket.path}/`,
    ...bucketCommon(c, c.bucket, c.current.freeformTags),
    payload: { id: `${c.bucket.path}/`, resourceName: `${c.bucket.path}/` },
    stateChange: { previous: c.previous, current: { ...c.current, bucketName: c.bucket.name, eTag: etag(c.label) } },
    requestHeaders: { "if-match": etag(`${c.label}:before`) },
    responseHeaders: { etag: etag(c.label) },
    bodyLength: JSON.stringify({ kmsKeyId: c.current.kmsKeyId, freeformTags: c.current.freeformTags }).length,
  });
}

/** `POST /n/{ns}/b/{bucket}/actions/reencrypt` (ReencryptBucket): 202 with `opc-work-request-id`. */
export function reencryptBucket(c: Common & { bucket: BucketFixture; tags: Record<string, string>; workRequestId: string }): ApiCall {
  return base(c, {
    service: "objectstorage", eventName: "ReencryptBucket", action: "POST", path: `${c.bucket.path}/actions/reencrypt`,
    ...bucketCommon(c, c.bucket, c.tags),
    status: "202",
    stateChange: { previous: {}, current: {} },
    responseHeaders: { "opc-work-request-id": c.workRequestId },
  });
}

/** `GET /n/{ns}/b/{bucket}` (read-only noise). */
export function getBucket(c: Common & { bucket: BucketFixture; tags: Record<string, string> }): ApiCall {
  return base(c, {
    service: "objectstorage", eventName: "GetBucket", action: "GET", path: `${c.bucket.path}/`,
    ...bucketCommon(c, c.bucket, c.tags),
    payload: { id: `${c.bucket.path}/`, resourceName: `${c.bucket.path}/` },
    stateChange: null,
    responseHeaders: { etag: etag(c.label) },
  });
}
