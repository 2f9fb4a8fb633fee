import { describe, expect, it } from "vitest";
import { formatInstant, monthPeriod, parseInstant } from "../../src/time/instant.js";

describe("parseInstant", () => {
  describe("B02: OCI times as string with Z, string with +00:00, without fraction, or a Date", () => {
    it("reads 2025-03-28T10:15:30.123Z", () => {
      expect(parseInstant("2025-03-28T10:15:30.123Z")).toEqual({ epochMs: Date.UTC(2025, 2, 28, 10, 15, 30, 123), iso: "2025-03-28T10:15:30.123Z" });
    });

    it("reads 2025-03-28T10:15:30+00:00 (no fraction, numeric offset)", () => {
      expect(parseInstant("2025-03-28T10:15:30+00:00")?.iso).toBe("2025-03-28T10:15:30.000Z");
    });

    it("reads 2025-03-28T10:15:30Z (no fraction)", () => {
      expect(parseInstant("2025-03-28T10:15:30Z")?.iso).toBe("2025-03-28T10:15:30.000Z");
    });

    it("reads a real Date object", () => {
      expect(parseInstant(new Date(Date.UTC(2025, 2, 28, 10, 15, 30, 123)))?.iso).toBe("2025-03-28T10:15:30.123Z");
    });

    it("orders the three B02 values correctly and never throws", () => {
      const values = [new Date("2025-03-28T10:15:31Z"), "2025-03-28T10:15:30.123Z", "2025-03-28T10:15:30+00:00"];
      const sorted = values.map((v) => parseInstant(v)).sort((a, b) => (a?.epochMs ?? 0) - (b?.epochMs ?? 0));
      expect(sorted.map((i) => i?.iso)).toEqual(["2025-03-28T10:15:30.000Z", "2025-03-28T10:15:30.123Z", "2025-03-28T10:15:31.000Z"]);
    });
  });

  it("applies non-zero offsets, and reads un-padded hours as the oci-sdk sends them (OCI-NOTES §1.6)", () => {
    expect(parseInstant("2025-03-30T02:30:00+01:00")?.iso).toBe("2025-03-30T01:30:00.000Z");
    expect(parseInstant("2025-03-01T4:05:07Z")?.iso).toBe("2025-03-01T04:05:07.000Z");
  });

  it("returns null for what is not an instant", () => {
    for (const v of ["", "yesterday", "2025-02-30T00:00:00Z", "2025-03-28T24:00:00Z", null, undefined, {}, true, Number.NaN]) {
      expect(parseInstant(v)).toBeNull();
    }
  });

  it("gives the same result whatever the process time zone (this suite also runs with TZ=America/Sao_Paulo)", () => {
    // Local midnight in São Paulo is 03:00Z; nothing here may depend on it.
    expect(parseInstant("2025-03-30T00:00:00Z")?.epochMs).toBe(Date.UTC(2025, 2, 30));
    expect(formatInstant(Date.UTC(2025, 2, 30, 1, 30))).toBe("2025-03-30T01:30:00.000Z");
    expect(monthPeriod("2025-03")).toEqual({ start: "2025-03-01T00:00:00.000Z", end: "2025-04-01T00:00:00.000Z" });
  });
});

describe("parseInstant outside the Date range", () => {
  it("returns null instead of throwing for epoch milliseconds beyond ±8.64e15", () => {
    expect(parseInstant(1e17)).toBeNull();
    expect(parseInstant(-8.64e15 - 1)).toBeNull();
    expect(parseInstant(8.64e15)?.iso).toBe("+275760-09-13T00:00:00.000Z");
  });
});

describe("parseInstant for years before 100", () => {
  it("keeps the year as written (Date.UTC would turn 0001 into 1901)", () => {
    expect(parseInstant("0001-01-01T00:00:00.000Z")?.iso).toBe("0001-01-01T00:00:00.000Z");
    expect(parseInstant("0099-12-31T23:59:59Z")?.iso).toBe("0099-12-31T23:59:59.000Z");
  });
});
