/**
 * The committed example export (examples/audit-export/) is what the generator writes, and its
 * records have exactly the envelopes of the real samples in shared/oci-samples/.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildAuditExport } from "../../examples/make-audit-export.js";
import { EVENT, SERVICE_CONNECTOR, TENANCY } from "../fixtures/audit-export-facts.js";
import { AUDIT_EXPORT_DIR, listFiles, readRecords } from "./helpers/read-audit-export.js";

const CONNECTOR = `service-connector/audit/${SERVICE_CONNECTOR}`;
const LISTEVENTS = "listevents/auditEvents_20260101T000000Z_20260701T000000Z.json";

// Field sets of audit-api-listevents-item_computeapi-getinstance_oci-docs.json.
const API_TOP = ["cloudEventsVersion", "contentType", "data", "eventId", "eventTime", "eventType", "eventTypeVersion", "source"];
const DATA = [
  "additionalDetails", "availabilityDomain", "compartmentId", "compartmentName", "definedTags", "eventGroupingId", "eventName",
  "freeformTags", "identity", "request", "resourceId", "resourceName", "response", "stateChange",
];
const IDENTITY = ["authType", "callerId", "callerName", "consoleSessionId", "credentials", "ipAddress", "principalId", "principalName", "tenantId", "userAgent"];
// Field sets of the CloudEvents 1.0 `_Audit` records (newrelic / eugsim1 samples).
const LOG_TOP = ["data", "dataschema", "id", "oracle", "source", "specversion", "time", "type"];

const sortedKeys = (o: object) => Object.keys(o).sort();

describe("the example audit export", () => {
  it("holds one ListEvents history file and ten Service Connector objects", () => {
    expect(listFiles()).toEqual([
      LISTEVENTS,
      `${CONNECTOR}/20260708T000000Z_20260708T060000Z.0.log.gz`,
      `${CONNECTOR}/20260710T000000Z_20260710T060000Z.0.log.gz`,
      `${CONNECTOR}/20260801T000000Z_20260801T060000Z.0.log.gz`,
      `${CONNECTOR}/20261005T000000Z_20261005T060000Z.0.log.gz`,
      `${CONNECTOR}/20261005T000000Z_20261005T060000Z.1.log.gz`,
      `${CONNECTOR}/20261006T000000Z_20261006T060000Z.0.log.gz`,
      `${CONNECTOR}/20261013T120000Z_20261013T180000Z.0.log.gz`,
      `${CONNECTOR}/20261015T060000Z_20261015T120000Z.0.log.gz`,
      `${CONNECTOR}/20261020T120000Z_20261020T180000Z.0.log.gz`,
      `${CONNECTOR}/20261021T060000Z_20261021T120000Z.0.log.gz`,
    ]);
  });

  it("is exactly what examples/make-audit-export.ts generates", () => {
    const generated = buildAuditExport();
    expect([...generated.keys()].sort()).toEqual(listFiles());
    for (const [rel, bytes] of generated) {
      const committed = readFileSync(join(AUDIT_EXPORT_DIR, rel));
      if (rel.endsWith(".gz")) {
        // gzip header: magic, deflate, no flags, mtime 0 (deterministic output).
        expect([...committed.subarray(0, 8)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
        expect(gunzipSync(committed).equals(gunzipSync(bytes))).toBe(true);
      } else {
        expect(committed.equals(bytes)).toBe(true);
      }
    }
  });

  it("has 37 records for 36 distinct events, one redelivered by Service Connector", () => {
    const all = listFiles().flatMap((f) => readRecords(f).map((r) => (r.eventId ?? r.id) as string));
    expect(all).toHaveLength(37);
    expect(new Set(all).size).toBe(36);
    expect(readRecords(`${CONNECTOR}/20261005T000000Z_20261005T060000Z.1.log.gz`).map((r) => r.id)).toEqual([EVENT.r3App]);
  });

  it("writes the history as Audit ListEvents items (CloudEvents 0.1) in time order", () => {
    const items = readRecords(LISTEVENTS);
    expect(items).toHaveLength(13);
    for (const item of items) {
      expect(sortedKeys(item)).toEqual(API_TOP);
      expect([item.cloudEventsVersion, item.eventTypeVersion, item.contentType]).toEqual(["0.1", "2.0", "application/json"]);
      expect(sortedKeys(item.data)).toEqual(DATA);
      expect(sortedKeys(item.data.identity)).toEqual(IDENTITY);
      expect(item.data.identity.tenantId).toBe(TENANCY);
    }
    const times = items.map((i) => i.eventTime as string);
    expect(times).toEqual([...times].sort());
    expect([times[0], times[12]]).toEqual(["2026-01-12T09:14:21.482Z", "2026-05-18T13:40:09.377Z"]);
  });

  it("writes the archive as JSON Lines of _Audit records (CloudEvents 1.0) ingested after they happened", () => {
    const records = listFiles().filter((f) => f.endsWith(".gz")).flatMap((f) => readRecords(f));
    expect(records).toHaveLength(24);
    for (const r of records) {
      expect(sortedKeys(r)).toEqual(LOG_TOP);
      expect([r.specversion, r.dataschema, r.oracle.loggroupid, r.oracle.tenantid]).toEqual(["1.0", "2.0", "_Audit", TENANCY]);
      expect(sortedKeys(r.data)).toEqual([...DATA, "message"].sort());
      expect(sortedKeys(r.oracle)).toEqual(["compartmentid", "ingestedtime", "loggroupid", "tenantid"]);
      expect(Date.parse(r.oracle.ingestedtime)).toBeGreaterThan(Date.parse(r.time));
      expect(r.oracle.compartmentid).toBe(r.data.compartmentId);
    }
  });

  it("gives every record a request, a response with the request's id, and 202s a work request id", () => {
    const records = listFiles().flatMap((f) => readRecords(f));
    for (const r of records) {
      const { request, response } = r.data;
      expect(sortedKeys(request)).toEqual(["action", "headers", "id", "parameters", "path"]);
      expect(sortedKeys(response)).toEqual(["headers", "message", "payload", "responseTime", "status"]);
      expect(response.headers["opc-request-id"]).toEqual([request.id]);
      expect(Date.parse(response.responseTime)).toBe(Date.parse(r.eventTime ?? r.time) + 1);
      if (response.status === "202") expect(response.headers["opc-work-request-id"]).toHaveLength(1);
    }
    const statuses = records.map((r) => r.data.response.status as string);
    expect([statuses.filter((s) => s === "202").length, statuses.filter((s) => s === "409").length]).toEqual([7, 1]);
  });

  it("spells Object Storage types in lower case and the other services in OCI's mixed case", () => {
    const types = new Set(listFiles().flatMap((f) => readRecords(f).map((r) => (r.eventType ?? r.type) as string)));
    expect([...types].sort()).toEqual([
      "com.oraclecloud.BlockVolumes.GetBootVolumeKmsKey",
      "com.oraclecloud.BlockVolumes.GetVolumeKmsKey",
      "com.oraclecloud.BlockVolumes.UpdateBootVolumeKmsKey",
      "com.oraclecloud.BlockVolumes.UpdateVolumeKmsKey",
      "com.oraclecloud.KeyManagementService.CancelKeyVersionDeletion",
      "com.oraclecloud.KeyManagementService.CreateKey",
      "com.oraclecloud.KeyManagementService.CreateKeyVersion",
      "com.oraclecloud.KeyManagementService.GetKey",
      "com.oraclecloud.KeyManagementService.ListKeys",
      "com.oraclecloud.KeyManagementService.ScheduleKeyVersionDeletion",
      "com.oraclecloud.objectstorage.getbucket",
      "com.oraclecloud.objectstorage.reencryptbucket",
      "com.oraclecloud.objectstorage.updatebucket",
    ]);
  });
});
