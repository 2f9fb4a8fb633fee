import { describe, expect, it } from "vitest";
import { classifyEvent, operationOf, phaseOf } from "../../src/timeline/classify-event.js";
import { auditEvent, KEY_A, KEY_B, VERSION_A1, VERSION_A2 } from "./helpers/synthetic-event.js";

const keyPath = (suffix = "") => `/20180608/keys/${KEY_A}${suffix}`;

describe("operationOf", () => {
  it("squashes the event name to lower case without separators", () => {
    expect(operationOf("CreateKeyVersion", "x")).toBe("createkeyversion");
    expect(operationOf("CREATE_KEY_VERSION", "x")).toBe("createkeyversion");
  });

  it("falls back to the last segment of the type when the name is empty", () => {
    expect(operationOf("", "com.oraclecloud.KeyManagementService.CreateKeyVersion")).toBe("createkeyversion");
  });

  it("reads the operation of a long-running begin / end record without a name from the segment before", () => {
    expect(operationOf("", "com.oraclecloud.KeyManagementService.CreateKey.begin")).toBe("createkey");
    expect(operationOf("", "com.oraclecloud.KeyManagementService.CreateKey.end")).toBe("createkey");
  });

  it("recognises Events-service auto-rotation types whose last segment is begin or end", () => {
    expect(operationOf("", "com.oraclecloud.keymanagementservice.autokeyrotate.begin")).toBe("autokeyrotatebegin");
    expect(operationOf("end", "com.oraclecloud.KeyManagementService.AutoKeyRotate.End")).toBe("autokeyrotateend");
  });
});

describe("phaseOf", () => {
  it("tells the begin and end records of a long-running operation, but not auto-rotation events", () => {
    expect(phaseOf("com.oraclecloud.KeyManagementService.CreateKey.begin")).toBe("begin");
    expect(phaseOf("com.oraclecloud.KeyManagementService.CreateKey.END")).toBe("end");
    expect(phaseOf("com.oraclecloud.KeyManagementService.CreateKey")).toBeNull();
    expect(phaseOf("com.oraclecloud.keymanagementservice.autokeyrotate.end")).toBeNull();
  });
});

describe("classifyEvent on key events", () => {
  it.each([
    ["CreateKey", "/20180608/keys", "key.created"],
    ["UpdateKey", keyPath(), "key.updated"],
    ["EnableKey", keyPath("/actions/enable"), "key.enabled"],
    ["DisableKey", keyPath("/actions/disable"), "key.disabled"],
    ["ScheduleKeyDeletion", keyPath("/actions/scheduleDeletion"), "key.deletion-scheduled"],
    ["CancelKeyDeletion", keyPath("/actions/cancelDeletion"), "key.deletion-cancelled"],
    ["CreateKeyVersion", keyPath("/keyVersions"), "key.version-created"],
    ["ImportKeyVersion", keyPath("/keyVersions/import"), "key.version-created"],
    ["ScheduleKeyVersionDeletion", keyPath(`/keyVersions/${VERSION_A1}/actions/scheduleDeletion`), "key.version-deletion-scheduled"],
    ["CancelKeyVersionDeletion", keyPath(`/keyVersions/${VERSION_A1}/actions/cancelDeletion`), "key.version-deletion-cancelled"],
  ])("classifies %s as %s's action", (name, path, action) => {
    const c = classifyEvent(auditEvent({ name, path, resourceId: KEY_A }));
    expect([c?.action, c?.subjectKind, c?.subjectId, c?.keyId]).toEqual([action, "key", KEY_A, KEY_A]);
  });

  it("compares event names case-insensitively", () => {
    for (const name of ["createkeyversion", "CREATEKEYVERSION", "CreateKeyVersion"]) {
      expect(classifyEvent(auditEvent({ name, path: keyPath("/keyVersions") }))?.action).toBe("key.version-created");
    }
  });

  it("uses the type's last segment when the record has no event name", () => {
    const c = classifyEvent(auditEvent({ name: null, type: "com.oraclecloud.keymanagementservice.createkeyversion", path: keyPath("/keyVersions") }));
    expect(c?.action).toBe("key.version-created");
  });

  it("takes the key from the path even when resourceId names the new version", () => {
    const c = classifyEvent(auditEvent({ path: keyPath("/keyVersions"), resourceId: VERSION_A2, payload: { id: VERSION_A2 } }));
    expect([c?.subjectId, c?.keyVersionId]).toEqual([KEY_A, VERSION_A2]);
  });

  it("finds the key in resourceId or stateChange when the path names none", () => {
    expect(classifyEvent(auditEvent({ path: "", resourceId: KEY_B }))?.subjectId).toBe(KEY_B);
    const fromState = auditEvent({ path: "", resourceId: VERSION_A2, current: { id: VERSION_A2, keyId: KEY_A } });
    expect([classifyEvent(fromState)?.subjectId, classifyEvent(fromState)?.keyVersionId]).toEqual([KEY_A, VERSION_A2]);
  });

  it("accepts URL-encoded ids and a query string in the path", () => {
    const c = classifyEvent(auditEvent({ path: `/20180608/keys/${encodeURIComponent(KEY_A)}/keyVersions?limit=1`, payload: { id: VERSION_A2 } }));
    expect([c?.subjectId, c?.keyVersionId]).toEqual([KEY_A, VERSION_A2]);
  });

  it("reads the version of a deletion from the path and its date from the payload, normalised to UTC", () => {
    const c = classifyEvent(auditEvent({
      name: "ScheduleKeyVersionDeletion",
      path: keyPath(`/keyVersions/${VERSION_A1}/actions/scheduleDeletion`),
      resourceId: VERSION_A1,
      payload: { id: VERSION_A1, timeOfDeletion: "2026-11-12T15:22:09+01:00" },
    }));
    expect([c?.keyVersionId, c?.timeOfDeletion, c?.detail]).toEqual([VERSION_A1, "2026-11-12T14:22:09.000Z", "deletion scheduled for 2026-11-12T14:22:09.000Z"]);
  });

  it("shows which deletion date a cancellation cancelled, when stateChange has it", () => {
    const path = keyPath(`/keyVersions/${VERSION_A1}/actions/cancelDeletion`);
    const withDate = classifyEvent(auditEvent({ name: "CancelKeyVersionDeletion", path, previous: { timeOfDeletion: "2026-11-12T14:22:09.000Z" } }));
    expect([withDate?.timeOfDeletion, withDate?.detail]).toEqual(["2026-11-12T14:22:09.000Z", "deletion scheduled for 2026-11-12T14:22:09.000Z cancelled"]);
    const without = classifyEvent(auditEvent({ name: "CancelKeyVersionDeletion", path }));
    expect([without?.timeOfDeletion, without?.detail]).toEqual([null, "deletion cancelled"]);
  });

  it("gives a created key its first version, its name and its predecessor from a freeform or defined tag", () => {
    const current = { id: KEY_B, displayName: "vol-key-2", currentKeyVersion: VERSION_A2, freeformTags: { predecessor: KEY_A } };
    const c = classifyEvent(auditEvent({ name: "CreateKey", path: "/20180608/keys", resourceId: KEY_B, current }));
    expect([c?.subjectId, c?.subjectName, c?.keyVersionId, c?.previousKeyId, c?.detail]).toEqual([KEY_B, "vol-key-2", VERSION_A2, KEY_A, `successor of ${KEY_A}`]);
    const defined = classifyEvent(auditEvent({ name: "CreateKey", resourceId: KEY_B, current: { id: KEY_B, definedTags: { Backup: { Predecessor: KEY_A } } } }));
    expect(defined?.previousKeyId).toBe(KEY_A);
  });

  it("ignores a predecessor tag that is not a key OCID or names the key itself", () => {
    expect(classifyEvent(auditEvent({ name: "CreateKey", resourceId: KEY_B, current: { id: KEY_B, freeformTags: { predecessor: "old-key" } } }))?.previousKeyId).toBeNull();
    expect(classifyEvent(auditEvent({ name: "CreateKey", resourceId: KEY_B, current: { id: KEY_B, freeformTags: { predecessor: KEY_B } } }))?.previousKeyId).toBeNull();
  });

  it("lists the fields an UpdateKey changed", () => {
    const c = classifyEvent(auditEvent({
      name: "UpdateKey", path: keyPath(),
      previous: { isAutoRotationEnabled: false, displayName: "k" }, current: { isAutoRotationEnabled: true, displayName: "k" },
    }));
    expect(c?.detail).toBe("changed: isAutoRotationEnabled");
  });

  it("classifies auto-rotation events with the rotation status as detail", () => {
    const begin = classifyEvent(auditEvent({ name: null, status: null, type: "com.oraclecloud.keymanagementservice.autokeyrotate.begin", resourceId: KEY_A }));
    expect([begin?.action, begin?.subjectId]).toEqual(["key.auto-rotation-started", KEY_A]);
    const end = classifyEvent(auditEvent({
      name: null, status: null, type: "com.oraclecloud.keymanagementservice.autokeyrotate.end", resourceId: KEY_A,
      details: { lastRotationStatus: "FAILED", lastRotationMessage: "vault is not ACTIVE" },
    }));
    expect([end?.action, end?.detail]).toEqual(["key.auto-rotation-finished", "FAILED: vault is not ACTIVE"]);
  });

  it("skips a key event that names no key", () => {
    expect(classifyEvent(auditEvent({ name: "CreateKey", path: "/20180608/keys", resourceId: null }))).toBeNull();
  });
});
