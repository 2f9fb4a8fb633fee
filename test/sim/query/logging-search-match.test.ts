/**
 * matchesLogRecord and logRecordComparator over CloudEvents 1.0 audit records: a real `_Audit`
 * record from the shared samples (batch 2) and small hand-made records.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  logRecordComparator,
  matchesLogRecord,
  parseLogQuery,
} from "../../../src/sim/query/logging-search-query.js";

const SAMPLES = join(import.meta.dirname, "../../../../shared/oci-samples");
const BATCH2 = readdirSync(SAMPLES).find((f) => f.startsWith("audit-v2-jsonl-batch2-"));
if (BATCH2 === undefined) throw new Error("batch2 audit sample missing from ../shared/oci-samples");
const RECORDS: Array<Record<string, unknown>> = readFileSync(join(SAMPLES, BATCH2), "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as Record<string, unknown>);

/** The real GetBucket record (line 6): Console user, GET, status "200", resource loggin_bucket. */
const GET_BUCKET = RECORDS[5] as Record<string, unknown>;
const COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaexamplecompartment1";

const matches = (filter: string, record: unknown): boolean =>
  matchesLogRecord(parseLogQuery(`search "${COMPARTMENT}/_Audit" | ${filter}`).filter, record);

function record(type: string, data: Record<string, unknown> = {}, time = "2025-03-01T10:00:00.000Z"): Record<string, unknown> {
  return { specversion: "1.0", id: `id-${time}`, source: "", time, type, dataschema: "2.0", oracle: { loggroupid: "_Audit" }, data };
}

describe("matchesLogRecord on the real batch-2 GetBucket record", () => {
  it("is the record the tests expect", () => {
    expect(GET_BUCKET["type"]).toBe("com.oraclecloud.objectstorage.getbucket");
  });

  it("matches the top-level type exactly and case-sensitively", () => {
    expect(matches("type='com.oraclecloud.objectstorage.getbucket'", GET_BUCKET)).toBe(true);
    expect(matches("type='com.oraclecloud.objectstorage.GetBucket'", GET_BUCKET)).toBe(false);
    expect(matches("type!='com.oraclecloud.objectstorage.getbucket'", GET_BUCKET)).toBe(false);
  });

  it("resolves nested data fields", () => {
    expect(matches("where data.eventName = 'GetBucket'", GET_BUCKET)).toBe(true);
    expect(matches("data.request.action = 'GET'", GET_BUCKET)).toBe(true);
    expect(matches("data.identity.principalName = 'example.user@example.com' and data.identity.authType = 'fed'", GET_BUCKET)).toBe(true);
    expect(matches(`data.compartmentId = '${COMPARTMENT}'`, GET_BUCKET)).toBe(true);
    expect(matches("oracle.loggroupid = '_Audit' and source = 'loggin_bucket'", GET_BUCKET)).toBe(true);
  });

  it("excludes it with the OCI-docs bucket create-or-update filter", () => {
    const filter = "(type='com.oraclecloud.objectstorage.createbucket' or type='com.oraclecloud.objectstorage.updatebucket') and (data.request.action!='GET')";
    expect(matches(filter, GET_BUCKET)).toBe(false);
    expect(matches("(type='com.oraclecloud.objectstorage.getbucket' or type='x') and not (data.request.action!='GET')", GET_BUCKET)).toBe(true);
  });

  it("compares the string status with a string or a number", () => {
    expect(matches("data.response.status = '200'", GET_BUCKET)).toBe(true);
    expect(matches("data.response.status = 200", GET_BUCKET)).toBe(true);
    expect(matches("data.response.status != 200", GET_BUCKET)).toBe(false);
    expect(matches("data.response.status = 404", GET_BUCKET)).toBe(false);
  });

  it("matches an array-valued header when any element matches, through a quoted name", () => {
    expect(matches(`data.request.headers."opc-request-id" = 'csid1d6a131d4fcf80ebdd31af8ce32b/9885504e98174820809ccbad0fda31fc'`, GET_BUCKET)).toBe(true);
    expect(matches(`data.request.headers."opc-request-id" = 'other'`, GET_BUCKET)).toBe(false);
  });

  it("skips a leading logContent segment", () => {
    expect(matches("logContent.type = 'com.oraclecloud.objectstorage.getbucket' and logContent.data.eventName = 'GetBucket'", GET_BUCKET)).toBe(true);
  });

  it("resolves field names case-insensitively when no exact key exists", () => {
    expect(matches("data.eventname = 'GetBucket' and DATA.Request.ACTION = 'GET'", GET_BUCKET)).toBe(true);
  });

  it("treats null and missing fields as unequal to every value", () => {
    expect(matches("data.identity.callerId = 'x'", GET_BUCKET)).toBe(false);
    expect(matches("data.identity.callerId != 'x'", GET_BUCKET)).toBe(true);
    expect(matches("data.noSuchField = 'x'", GET_BUCKET)).toBe(false);
    expect(matches("data.noSuchField != 'x'", GET_BUCKET)).toBe(true);
    expect(matches("data.identity.principalName.deeper = 'x'", GET_BUCKET)).toBe(false);
  });

  it("does not equate an object field with any string", () => {
    expect(matches("data.identity = '[object Object]'", GET_BUCKET)).toBe(false);
  });

  it("selects exactly the GetBucket records of the whole batch", () => {
    const filter = parseLogQuery(`search "${COMPARTMENT}/_Audit" | where data.eventName = 'GetBucket' and data.request.action = 'GET'`).filter;
    const hits = RECORDS.filter((r) => matchesLogRecord(filter, r));
    expect(hits).toHaveLength(5);
    expect(hits.every((r) => r["type"] === "com.oraclecloud.objectstorage.getbucket")).toBe(true);
  });
});

describe("matchesLogRecord on hand-made records", () => {
  const create = record("com.oraclecloud.objectstorage.createbucket", { eventName: "CreateBucket", request: { action: "POST" } });
  const update = record("com.oraclecloud.objectstorage.updatebucket", { eventName: "UpdateBucket", request: { action: "POST" } });
  const keyVersion = record("com.oraclecloud.keymanagementservice.createkeyversion", { eventName: "CreateKeyVersion", "weird.name": "w" });

  it("keeps every record when the query has no filter", () => {
    expect(matchesLogRecord(parseLogQuery(`search "${COMPARTMENT}/_Audit"`).filter, create)).toBe(true);
  });

  it("applies the OCI-docs subcompartment filter to create, update and other records", () => {
    const filter = "(type='com.oraclecloud.objectstorage.createbucket' or type='com.oraclecloud.objectstorage.updatebucket') and (data.request.action!='GET')";
    expect(matches(filter, create)).toBe(true);
    expect(matches(filter, update)).toBe(true);
    expect(matches(filter, keyVersion)).toBe(false);
  });

  it("evaluates not before and, and and before or", () => {
    expect(matches("type='nope' and data.eventName='CreateBucket' or data.eventName='UpdateBucket'", update)).toBe(true);
    expect(matches("type='nope' and (data.eventName='CreateBucket' or data.eventName='UpdateBucket')", update)).toBe(false);
    expect(matches("not data.eventName='CreateBucket' and data.request.action='POST'", update)).toBe(true);
    expect(matches("not (data.eventName='UpdateBucket' and data.request.action='POST')", update)).toBe(false);
  });

  it("and-s the filters of several pipe commands", () => {
    expect(matches("where data.request.action='POST' | data.eventName='CreateBucket'", create)).toBe(true);
    expect(matches("where data.request.action='POST' | data.eventName='CreateBucket'", update)).toBe(false);
  });

  it("tells a quoted dotted name from a dotted path", () => {
    expect(matches(`data."weird.name" = 'w'`, keyVersion)).toBe(true);
    expect(matches(`data.weird.name = 'w'`, keyVersion)).toBe(false);
  });

  it("compares numeric and boolean fields by value", () => {
    const r = record("t", { count: 3, ok: true });
    expect(matches("data.count = 3 and data.count = '3' and data.ok = 'true'", r)).toBe(true);
    expect(matches("data.count = 4", r)).toBe(false);
  });
});

describe("logRecordComparator", () => {
  const early = record("t", {}, "2025-03-01T09:00:00.000Z");
  const late = record("t", {}, "2025-03-01T11:00:00.000Z");
  const noTime = { type: "t" };
  const ids = (query: string) =>
    [early, noTime, late].sort(logRecordComparator(parseLogQuery(query))).map((r) => ("time" in r ? r.time : "none"));

  it("sorts by datetime in the direction the query asks, records without a time last", () => {
    expect(ids(`search "c" | sort by datetime asc`)).toEqual(["2025-03-01T09:00:00.000Z", "2025-03-01T11:00:00.000Z", "none"]);
    expect(ids(`search "c" | sort by datetime desc`)).toEqual(["2025-03-01T11:00:00.000Z", "2025-03-01T09:00:00.000Z", "none"]);
  });

  it("puts the newest record first when the query has no sort command", () => {
    expect(ids(`search "c"`)).toEqual(["2025-03-01T11:00:00.000Z", "2025-03-01T09:00:00.000Z", "none"]);
  });
});
