import { describe, expect, it } from "vitest";
import type { AuditEventRow } from "../../src/store/schema.js";
import { buildTimelines } from "../../src/timeline/build-timelines.js";
import { toStoredAuditEvent } from "../../src/store/audit-events.js";
import { timelineEventFromStored } from "../../src/timeline/timeline-event.js";
import { auditRecord, KEY_A, VERSION_A2 } from "./helpers/synthetic-event.js";

function row(overrides: Partial<AuditEventRow> = {}): AuditEventRow {
  const raw = auditRecord({ id: "evt-row", time: "2026-10-05T02:00:04.052Z", path: `/20180608/keys/${KEY_A}/keyVersions`, payload: { id: VERSION_A2 } });
  return {
    seq: 7, event_id: "evt-row", content_sha256: "a".repeat(64), chain_sha256: "b".repeat(64),
    event_time: "2026-10-05T02:00:04.052Z", ingested_time: "2026-10-05T02:00:09.000Z",
    event_type: "com.oraclecloud.KeyManagementService.CreateKeyVersion", event_name: "createkeyversion",
    source: "", envelope: "logging-cloudevents", compartment_id: "ocid1.compartment.oc1..aaaaaaaatest", compartment_name: "test",
    resource_id: null, resource_name: null, principal_id: "ocid1.user.oc1..aaaaaaaatester", principal_name: "tester",
    auth_type: "natv", request_id: "req-row", request_action: "POST", request_path: `/20180608/keys/${KEY_A}/keyVersions`,
    response_status: "200", event_grouping_id: null, tenant_id: null, region_id: null, conflict_of_seq: null,
    import_run_id: 1, stored_at: "2026-10-05T02:10:00.000Z", raw_json: JSON.stringify(raw),
    ...overrides,
  };
}

describe("timelineEventFromStored", () => {
  it("copies the row's columns and parses raw_json", () => {
    const event = timelineEventFromStored(toStoredAuditEvent(row()));
    expect({ ...event, raw: undefined }).toEqual({
      eventId: "evt-row", eventTime: "2026-10-05T02:00:04.052Z", eventType: "com.oraclecloud.KeyManagementService.CreateKeyVersion",
      eventName: "createkeyversion", resourceId: null, resourceName: null, compartmentId: "ocid1.compartment.oc1..aaaaaaaatest",
      compartmentName: "test", principalId: "ocid1.user.oc1..aaaaaaaatester", principalName: "tester", responseStatus: "200",
      requestId: "req-row", raw: undefined,
    });
    expect((event.raw as { id: string }).id).toBe("evt-row");
  });

  it("feeds buildTimelines with the stored, lower-cased event name", () => {
    const [key] = buildTimelines([timelineEventFromStored(toStoredAuditEvent(row()))]).keys;
    expect(key?.entries.map((e) => [e.action, e.keyId, e.keyVersionId, e.requestId])).toEqual([["key.version-created", KEY_A, VERSION_A2, "req-row"]]);
  });

  it("gives raw null for raw_json that is not JSON, and the event is classified from its columns where it can be", () => {
    const event = timelineEventFromStored(toStoredAuditEvent(row({ raw_json: "{truncated", resource_id: KEY_A })));
    expect(event.raw).toBeNull();
    const [key] = buildTimelines([event]).keys;
    expect(key?.entries.map((e) => [e.action, e.keyId, e.keyVersionId])).toEqual([["key.version-created", KEY_A, null]]);
  });
});
