/**
 * parseIsoInstant: the date literals both query languages accept, always read as UTC when they
 * carry no offset, so results do not depend on the process time zone.
 */
import { describe, expect, it } from "vitest";
import { instantOf, parseIsoInstant } from "../../../src/sim/query/iso-instant.js";

describe("parseIsoInstant", () => {
  it("reads a bare date as midnight UTC and marks it date-only", () => {
    expect(parseIsoInstant("2024-03-01")).toEqual({ epochMs: Date.UTC(2024, 2, 1), dateOnly: true });
  });

  it("reads date-times without an offset as UTC", () => {
    expect(parseIsoInstant("2024-03-01T10:15")?.epochMs).toBe(Date.UTC(2024, 2, 1, 10, 15));
    expect(parseIsoInstant("2024-03-01T10:15:30")?.epochMs).toBe(Date.UTC(2024, 2, 1, 10, 15, 30));
    expect(parseIsoInstant("2024-03-01 10:15:30.123456")?.epochMs).toBe(Date.UTC(2024, 2, 1, 10, 15, 30, 123));
  });

  it("applies Z and numeric offsets with or without a colon", () => {
    expect(parseIsoInstant("2024-03-01T10:00:00Z")).toEqual({ epochMs: Date.UTC(2024, 2, 1, 10), dateOnly: false });
    expect(parseIsoInstant("2024-03-01T10:00:00+02:00")?.epochMs).toBe(Date.UTC(2024, 2, 1, 8));
    expect(parseIsoInstant("2024-03-01T10:00:00-0330")?.epochMs).toBe(Date.UTC(2024, 2, 1, 13, 30));
  });

  it("keeps years below 100 literal", () => {
    expect(parseIsoInstant("0024-01-01T00:00:00Z")?.epochMs).toBe(new Date("0024-01-01T00:00:00Z").getTime());
  });

  it("rejects impossible dates, times and other text", () => {
    for (const text of ["2024-02-30", "2024-13-01", "2024-01-01T24:00", "2024-01-01T10:60", "yesterday", "2024-1-1", ""]) {
      expect(parseIsoInstant(text)).toBeNull();
    }
  });
});

describe("instantOf", () => {
  it("accepts Date objects and ISO strings and nothing else", () => {
    expect(instantOf(new Date(Date.UTC(2024, 0, 1)))?.epochMs).toBe(Date.UTC(2024, 0, 1));
    expect(instantOf(new Date("invalid"))).toBeNull();
    expect(instantOf("2024-01-01T00:00:00.000Z")?.epochMs).toBe(Date.UTC(2024, 0, 1));
    expect(instantOf(1704067200000)).toBeNull();
    expect(instantOf(null)).toBeNull();
  });
});
