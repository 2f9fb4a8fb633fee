import { createHash } from "node:crypto";
import canonicalizeModule from "canonicalize";
import { describe, expect, it } from "vitest";
import { normalizeAuditRecord, type NormalizeOutcome } from "../../src/ingest/normalize-audit-record.js";
import type { NormalizedAuditEvent } from "../../src/ingest/audit-event.js";
import { loggingRecord } from "./audit-record-factory.js";

const canonicalize = canonicalizeModule as unknown as (v: unknown) => string;

function ok(outcome: NormalizeOutcome): NormalizedAuditEvent {
  if (!outcome.ok) throw new Error(`expected ok, got: ${outcome.message}`);
  return outcome.event;
}

function message(outcome: NormalizeOutcome): string {
  if (outcome.ok) throw new Error("expected a rejection");
  return outcome.message;
}

describe("normalizeAuditRecord", () => {
  describe("B02: every OCI time form becomes one canonical UTC instant", () => {
    const forms: Array<[string, unknown, string]> = [
      ["Z with ms", "2025-03-28T10:15:30.123Z", "2025-03-28T10:15:30.123Z"],
      ["+00:00 without fraction", "2025-03-28T10:15:30+00:00", "2025-03-28T10:15:30.000Z"],
      ["Z without fraction", "2025-03-28T10:15:30Z", "2025-03-28T10:15:30.000Z"],
      ["a numeric offset", "2025-03-28T12:15:30.5+02:00", "2025-03-28T10:15:30.500Z"],
      ["microseconds (truncated to ms)", "2025-03-28T10:15:30.123456Z", "2025-03-28T10:15:30.123Z"],
      ["a Date object", new Date(Date.UTC(2025, 2, 28, 10, 15, 30, 123)), "2025-03-28T10:15:30.123Z"],
    ];
    for (const [name, time, iso] of forms) {
      it(`reads eventTime given as ${name}`, () => {
        expect(ok(normalizeAuditRecord(loggingRecord(1, { time }))).eventTime).toBe(iso);
      });
    }

    it("orders the three B02 values correctly whatever their form", () => {
      const times = ["2025-03-28T10:15:30.123Z", "2025-03-28T10:15:30+00:00", new Date("2025-03-28T10:15:31Z")].map(
        (time, i) => ok(normalizeAuditRecord(loggingRecord(i, { time }))).eventTime,
      );
      expect([...times].sort()).toEqual(["2025-03-28T10:15:30.000Z", "2025-03-28T10:15:30.123Z", "2025-03-28T10:15:31.000Z"]);
    });

    it("normalises oracle.ingestedtime the same way", () => {
      const record = loggingRecord(1);
      (record.oracle as Record<string, unknown>).ingestedtime = "2025-03-28T10:15:35+00:00";
      expect(ok(normalizeAuditRecord(record)).ingestedTime).toBe("2025-03-28T10:15:35.000Z");
    });
  });

  it("hashes the RFC 8785 canonical form, so key order and spacing do not change contentSha256", () => {
    const a = ok(normalizeAuditRecord(JSON.parse('{"id":"e1","time":"2025-01-01T00:00:00Z","type":"t.X","data":{"b":1,"a":2}}')));
    const b = ok(normalizeAuditRecord(JSON.parse('{ "data": { "a": 2, "b": 1 }, "type": "t.X", "time": "2025-01-01T00:00:00Z", "id": "e1" }')));
    expect(a.contentSha256).toBe(b.contentSha256);
    const canonical = '{"data":{"a":2,"b":1},"id":"e1","time":"2025-01-01T00:00:00Z","type":"t.X"}';
    expect(a.contentSha256).toBe(createHash("sha256").update(canonical).digest("hex"));
  });

  it("keeps the JSON text it was given as rawJson, and JSON.stringify(raw) when given none", () => {
    const text = '{ "id": "e1", "time": "2025-01-01T00:00:00Z", "type": "t.X" }';
    expect(ok(normalizeAuditRecord(JSON.parse(text), text)).rawJson).toBe(text);
    expect(ok(normalizeAuditRecord(JSON.parse(text))).rawJson).toBe('{"id":"e1","time":"2025-01-01T00:00:00Z","type":"t.X"}');
  });

  it("takes the event name from the last segment of the type when data.eventName is missing", () => {
    const event = ok(normalizeAuditRecord({ eventID: "e", eventTime: "2025-01-01T00:00:00Z", eventType: "com.oraclecloud.keymanagementservice.autokeyrotate.end" }));
    expect(event).toMatchObject({ eventName: "end", envelope: "events-service", principalId: null, responseStatus: null });
  });

  it("unwraps {datetime, logContent} but keeps the whole wrapper as raw", () => {
    const inner = loggingRecord(3);
    const wrapper = { datetime: 1767225603000, logContent: inner, regionId: "us-ashburn-1" };
    const event = ok(normalizeAuditRecord(wrapper));
    expect(event).toMatchObject({ eventId: inner.id, regionId: "us-ashburn-1", envelope: "logging-cloudevents" });
    expect(event.raw).toBe(wrapper);
  });

  it("hashes the unwrapped record, so the same event bare, wrapped or with logContent as text has one contentSha256", () => {
    const inner = loggingRecord(5);
    const bare = ok(normalizeAuditRecord(inner));
    const wrapped = ok(normalizeAuditRecord({ datetime: 1767225605000, logContent: inner, regionId: "us-ashburn-1" }));
    const asText = ok(normalizeAuditRecord({ datetime: 1, logContent: JSON.stringify(inner) }));
    expect(wrapped.contentSha256).toBe(bare.contentSha256);
    expect(asText.contentSha256).toBe(bare.contentSha256);
    expect(bare.contentSha256).toBe(createHash("sha256").update(canonicalize(inner)).digest("hex"));
    // raw_json still keeps exactly what was read, wrapper included.
    expect(JSON.parse(wrapped.rawJson)).toMatchObject({ datetime: 1767225605000, regionId: "us-ashburn-1" });
  });

  it("accepts a logContent that arrives as a JSON string (SIEM-mangled)", () => {
    const inner = loggingRecord(4);
    expect(ok(normalizeAuditRecord({ datetime: 1, logContent: JSON.stringify(inner) })).eventId).toBe(inner.id);
  });

  it("turns numbers into text and ignores objects where text is expected", () => {
    const event = ok(
      normalizeAuditRecord(loggingRecord(1, { data: { response: { status: 404 }, resourceName: { nested: true }, compartmentName: "" } })),
    );
    expect(event).toMatchObject({ responseStatus: "404", resourceName: null, compartmentName: null });
  });

  it("replaces U+0000 in derived columns (PostgreSQL text cannot hold it) but keeps it in raw", () => {
    const event = ok(normalizeAuditRecord(loggingRecord(1, { data: { resourceName: "a\u0000b" } })));
    expect(event.resourceName).toBe("a\uFFFDb");
    expect(event.rawJson).toContain("a\\u0000b");
  });

  describe("rejects what is not an audit record, saying what was expected", () => {
    const cases: Array<[string, unknown, string]> = [
      ["null", null, "expected an audit record with eventId/id and eventTime/time (a JSON object), got null"],
      ["a string", "hello", "expected an audit record with eventId/id and eventTime/time (a JSON object), got a string of 5 characters"],
      ["an array", [1, 2], "expected an audit record with eventId/id and eventTime/time (a JSON object), got an array of 2 items"],
      ["another object", { name: "x", version: 2 }, "expected an audit record with eventId/id and eventTime/time, got a JSON object with keys [name, version]"],
      ["an id without a time", { id: "a" }, "expected an audit record with eventId/id and eventTime/time, got a JSON object with keys [id]"],
      ["nulls everywhere", { id: null, time: null, type: null, data: null }, "field id: expected a non-empty string, got null"],
      ["a numeric id", { eventId: 42, eventTime: "2025-01-01T00:00:00Z" }, "field eventId: expected a non-empty string, got a number"],
      ["an empty id", { id: "  ", time: "2025-01-01T00:00:00Z", type: "t" }, "field id: expected a non-empty string, got an empty string"],
      ["a bad time", { id: "a", time: "yesterday", type: "t" }, "field time: expected an ISO-8601 instant, got a string of 9 characters"],
      ["an impossible date", { id: "a", time: "2025-02-30T00:00:00Z", type: "t" }, "field time: expected an ISO-8601 instant, got a string of 20 characters"],
      ["a time out of the Date range", { id: "a", time: 1e17, type: "t" }, "field time: expected an ISO-8601 instant, got a number outside the range of dates"],
      ["a boolean time", { id: "a", time: true, type: "t" }, "field time: expected an ISO-8601 instant, got a boolean"],
      ["no type", { id: "a", time: "2025-01-01T00:00:00Z" }, "field eventType/type: expected a non-empty string, got nothing"],
      ["a data string", { id: "a", time: "2025-01-01T00:00:00Z", type: "t", data: "x" }, "field data: expected a JSON object, got a string of 1 character"],
      [
        "a bad ingested time",
        { id: "a", time: "2025-01-01T00:00:00Z", type: "t", oracle: { ingestedtime: "soon" } },
        "field oracle.ingestedtime: expected an ISO-8601 instant, got a string of 4 characters",
      ],
      ["a wrapper around nothing useful", { datetime: 1, logContent: 7 }, "field logContent: expected a JSON object, got a number"],
      ["a bad time inside a wrapper", { logContent: { id: "a", time: "x", type: "t" } }, "field logContent.time: expected an ISO-8601 instant, got a string of 1 character"],
    ];
    for (const [name, value, expected] of cases) {
      it(`rejects ${name}`, () => {
        expect(message(normalizeAuditRecord(value))).toBe(expected);
      });
    }

    it("rejects a record nested too deeply to canonicalise instead of crashing", () => {
      let deep: unknown = 1;
      for (let i = 0; i < 20_000; i++) deep = [deep];
      expect(message(normalizeAuditRecord({ id: "a", time: "2025-01-01T00:00:00Z", type: "t", data: { deep } }))).toMatch(
        /^expected a record that can be canonicalised \(RFC 8785\), got one that cannot/,
      );
    });
  });
});
