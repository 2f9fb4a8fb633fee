import { describe, expect, it } from "vitest";
import { classifyEvent } from "../../src/timeline/classify-event.js";
import { auditEvent, BOOT, KEY_A, KEY_B, VOL } from "./helpers/synthetic-event.js";

const bucketEvent = (name: string, extra: Parameters<typeof auditEvent>[0] = {}) =>
  auditEvent({ name, type: `com.oraclecloud.objectstorage.${name.toLowerCase()}`, path: "/n/ns1/b/backups/", resourceId: "/n/ns1/b/backups/", ...extra });

describe("classifyEvent on volume events", () => {
  it("classifies UpdateVolumeKmsKey on the volume, with the key change from stateChange", () => {
    const c = classifyEvent(auditEvent({
      name: "UpdateVolumeKmsKey", type: "com.oraclecloud.BlockVolumes.UpdateVolumeKmsKey", action: "PUT",
      path: `/20160918/volumes/${VOL}/kmsKey`, resourceId: VOL, resourceName: "data",
      previous: { kmsKeyId: KEY_A }, current: { kmsKeyId: KEY_B },
    }));
    expect(c).toEqual({
      action: "volume.kms-key-updated", subjectKind: "volume", subjectId: VOL, subjectName: "data",
      keyId: KEY_B, previousKeyId: KEY_A, keyVersionId: null, workRequestId: null, timeOfDeletion: null,
      detail: `kmsKeyId ${KEY_A} → ${KEY_B}`, phase: null,
    });
  });

  it("classifies UpdateBootVolumeKmsKey on the boot volume, taking the new key from the payload", () => {
    const c = classifyEvent(auditEvent({ name: "updatebootvolumekmskey", path: `/20160918/bootVolumes/${BOOT}/kmsKey`, payload: { kmsKeyId: KEY_B } }));
    expect([c?.action, c?.subjectKind, c?.subjectId, c?.keyId, c?.previousKeyId, c?.detail]).toEqual([
      "boot-volume.kms-key-updated", "boot-volume", BOOT, KEY_B, null, `kmsKeyId ${KEY_B}`,
    ]);
  });

  it("finds the volume in resourceId when the path is missing", () => {
    expect(classifyEvent(auditEvent({ name: "UpdateVolumeKmsKey", path: "", resourceId: VOL }))?.subjectId).toBe(VOL);
  });

  it("shows DeleteVolumeKmsKey as a move back to an Oracle-managed key", () => {
    const c = classifyEvent(auditEvent({ name: "DeleteVolumeKmsKey", action: "DELETE", path: `/20160918/volumes/${VOL}/kmsKey`, previous: { kmsKeyId: KEY_A } }));
    expect([c?.action, c?.keyId, c?.previousKeyId, c?.detail]).toEqual(["volume.kms-key-updated", null, KEY_A, `kmsKeyId ${KEY_A} → Oracle-managed key`]);
  });

  it("leaves the key unknown when a failed update's record does not name it", () => {
    const c = classifyEvent(auditEvent({ name: "UpdateVolumeKmsKey", status: "409", path: `/20160918/volumes/${VOL}/kmsKey` }));
    expect([c?.keyId, c?.previousKeyId, c?.detail]).toEqual([null, null, null]);
  });
});

describe("classifyEvent on bucket events", () => {
  it("sees a kmsKeyId change in stateChange as a bucket key update, dropping the trailing slash", () => {
    const c = classifyEvent(bucketEvent("UpdateBucket", { previous: { kmsKeyId: KEY_A }, current: { kmsKeyId: KEY_B } }));
    expect([c?.action, c?.subjectId, c?.subjectName, c?.keyId, c?.previousKeyId, c?.bucketKeyAfter]).toEqual([
      "bucket.kms-key-updated", "/n/ns1/b/backups", "backups", KEY_B, KEY_A, KEY_B,
    ]);
  });

  it("treats an unchanged kmsKeyId as a plain update that still tells the bucket's key", () => {
    const c = classifyEvent(bucketEvent("UpdateBucket", { previous: { kmsKeyId: KEY_A, versioning: "Disabled" }, current: { kmsKeyId: KEY_A, versioning: "Enabled" } }));
    expect([c?.action, c?.keyId, c?.bucketKeyAfter, c?.detail]).toEqual(["bucket.updated", null, KEY_A, "changed: versioning"]);
  });

  it("counts a new key as a key update when the record does not show the previous one", () => {
    expect(classifyEvent(bucketEvent("UpdateBucket", { current: { kmsKeyId: KEY_B } }))?.action).toBe("bucket.kms-key-updated");
    expect(classifyEvent(bucketEvent("UpdateBucket", { current: { kmsKeyId: null } }))?.action).toBe("bucket.updated");
  });

  it("reads kmsKeyId from the request parameters when stateChange has none", () => {
    const c = classifyEvent(bucketEvent("UpdateBucket", { parameters: { param0: ["ns1"], param1: ["backups"], kmsKeyId: [KEY_B] } }));
    expect([c?.action, c?.keyId]).toEqual(["bucket.kms-key-updated", KEY_B]);
  });

  it("shows an empty kmsKeyId as the bucket going back to an Oracle-managed key", () => {
    const c = classifyEvent(bucketEvent("UpdateBucket", { previous: { kmsKeyId: KEY_A }, current: { kmsKeyId: "" } }));
    expect([c?.action, c?.keyId, c?.previousKeyId, c?.detail]).toEqual(["bucket.kms-key-updated", null, KEY_A, `kmsKeyId ${KEY_A} → Oracle-managed key`]);
  });

  it("names a created bucket from additionalDetails when the path ends at /b/", () => {
    const c = classifyEvent(auditEvent({
      name: "CreateBucket", type: "com.oraclecloud.objectstorage.createbucket", path: "/n/ns1/b/", resourceId: "/n/ns1/b/",
      details: { bucketName: "new-backups", namespace: "ns1" }, current: { bucketName: "new-backups", kmsKeyId: KEY_A },
    }));
    expect([c?.action, c?.subjectId, c?.keyId, c?.detail]).toEqual(["bucket.created", "/n/ns1/b/new-backups", KEY_A, `kmsKeyId ${KEY_A}`]);
  });

  it("takes ReencryptBucket's work request id from the response headers in any case", () => {
    const c = classifyEvent(bucketEvent("ReencryptBucket", {
      path: "/n/ns1/b/backups/actions/reencrypt", status: "202", responseHeaders: { "OPC-Work-Request-Id": ["wr-1"] },
    }));
    expect([c?.action, c?.subjectId, c?.workRequestId, c?.keyId]).toEqual(["bucket.reencrypt-requested", "/n/ns1/b/backups", "wr-1", null]);
  });

  it("classifies an Events-service updatebucket message without request or response", () => {
    const c = classifyEvent(auditEvent({ name: null, status: null, type: "com.oraclecloud.objectstorage.updatebucket", resourceId: "/n/ns1/b/backups/" }));
    expect([c?.action, c?.subjectId]).toEqual(["bucket.updated", "/n/ns1/b/backups"]);
  });

  it("reads bucket paths whose namespace or name is itself n or b", () => {
    const c = classifyEvent(bucketEvent("ReencryptBucket", { path: "/n/b/b/n/actions/reencrypt", resourceId: null }));
    expect([c?.subjectId, c?.subjectName]).toEqual(["/n/b/b/n", "n"]);
  });

  it("skips a bucket event that names no bucket", () => {
    expect(classifyEvent(auditEvent({ name: "UpdateBucket", type: "com.oraclecloud.objectstorage.updatebucket", path: "/n/ns1/b/" }))).toBeNull();
  });
});

describe("classifyEvent on everything else", () => {
  it.each([
    ["GetKey", "com.oraclecloud.KeyManagementService.GetKey"],
    ["ListKeys", "com.oraclecloud.KeyManagementService.ListKeys"],
    ["ListKeyVersions", "com.oraclecloud.KeyManagementService.ListKeyVersions"],
    ["GetVolumeKmsKey", "com.oraclecloud.BlockVolumes.GetVolumeKmsKey"],
    ["GetBucket", "com.oraclecloud.objectstorage.getbucket"],
    ["LaunchInstance", "com.oraclecloud.ComputeApi.LaunchInstance"],
    ["ReencryptObject", "com.oraclecloud.objectstorage.reencryptobject"],
    ["", "com.oraclecloud.keymanagementservice.vault.crypto.decrypt"],
  ])("ignores %s (%s)", (name, type) => {
    expect(classifyEvent(auditEvent({ name, type, path: `/20180608/keys/${KEY_A}`, resourceId: KEY_A }))).toBeNull();
  });
});
