import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { formatOciMinute, ociInstant } from "../../src/oci/oci-time.js";
import { toOciKeyVersion } from "../../src/oci/to-oci-models.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

describe("ociInstant (cases.md B02)", () => {
  it("normalises a Z string with ms, a +00:00 string without fraction and a real Date to canonical UTC", () => {
    expect(ociInstant("2025-03-28T10:15:30.123Z")).toBe("2025-03-28T10:15:30.123Z");
    expect(ociInstant("2025-03-28T10:15:30+00:00")).toBe("2025-03-28T10:15:30.000Z");
    expect(ociInstant(new Date(Date.UTC(2025, 2, 28, 10, 15, 31)))).toBe("2025-03-28T10:15:31.000Z");
    expect(ociInstant("2025-03-28T15:45:30.5+05:30")).toBe("2025-03-28T10:15:30.500Z");
    expect(ociInstant("2025-03-28T10:15:30.123456789Z")).toBe("2025-03-28T10:15:30.123Z");
  });

  it("answers null, never throws, for absent or unreadable values", () => {
    for (const value of [undefined, null, "", "yesterday", "2025-02-30T00:00:00Z", {}, Number.NaN]) expect(ociInstant(value)).toBeNull();
  });

  it("orders the three forms correctly when the adapter builds key versions from them", () => {
    const base = { keyId: "k", vaultId: "v", compartmentId: "c", origin: "INTERNAL" as never, lifecycleState: "ENABLED" as never };
    const versions = [
      { ...base, id: "date-10:15:31", timeCreated: new Date(Date.UTC(2025, 2, 28, 10, 15, 31)) },
      { ...base, id: "z-10:15:30.123", timeCreated: "2025-03-28T10:15:30.123Z" as unknown as Date },
      { ...base, id: "offset-10:15:30", timeCreated: "2025-03-28T10:15:30+00:00" as unknown as Date },
    ].map(toOciKeyVersion);
    const sorted = [...versions].sort((a, b) => Date.parse(a.timeCreated) - Date.parse(b.timeCreated));
    expect(sorted.map((v) => v.id)).toEqual(["offset-10:15:30", "z-10:15:30.123", "date-10:15:31"]);
    // The canonical text sorts the same way as the instants.
    expect([...versions].sort((a, b) => a.timeCreated.localeCompare(b.timeCreated)).map((v) => v.id)).toEqual(sorted.map((v) => v.id));
    expect(() => toOciKeyVersion({ ...base, id: "bad", timeCreated: "soon" as unknown as Date })).toThrow(/key version bad timeCreated/);
  });
});

describe("formatOciMinute (cases.md B01)", () => {
  it("floors to the minute and formats in UTC with a padded hour", () => {
    expect(formatOciMinute(Date.parse("2024-08-28T08:15:34Z"))).toBe("2024-08-28T08:15:00Z");
    expect(formatOciMinute(Date.parse("2024-08-28T02:00:59.999Z"))).toBe("2024-08-28T02:00:00Z");
    expect(formatOciMinute(Date.parse("2024-12-31T23:59:59.999Z"))).toBe("2024-12-31T23:59:00Z");
    expect(formatOciMinute(-1)).toBe("1969-12-31T23:59:00Z");
    expect(() => formatOciMinute(Date.parse("+010000-01-01T00:00:00Z"))).toThrow(RangeError);
  });

  // The SDK's own formatter (oci-common helper.formatDateToRFC3339) is printed next to ours to prove
  // each zone really shifts local time: it is the bug B01 guards against.
  const CHILD = `
    const { formatOciMinute } = await import("./src/oci/oci-time.ts");
    const { createRequire } = await import("node:module");
    const helper = createRequire(import.meta.url)("oci-common/lib/helper.js");
    const at = new Date("2024-08-28T08:15:34Z");
    console.log(JSON.stringify({ ours: formatOciMinute(at.getTime()), sdk: helper.formatDateToRFC3339(at), offset: at.getTimezoneOffset() }));
  `;

  it("gives 2024-08-28T08:15:00Z for 08:15:34Z under TZ=America/Denver, Asia/Kolkata and Pacific/Chatham", () => {
    const seen = new Map<string, { ours: string; sdk: string; offset: number }>();
    for (const tz of ["America/Denver", "Asia/Kolkata", "Pacific/Chatham"]) {
      const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", CHILD], {
        cwd: REPO_ROOT, env: { ...process.env, TZ: tz }, encoding: "utf8",
      });
      expect(child.status, `${tz}: ${child.stderr}`).toBe(0);
      seen.set(tz, JSON.parse(child.stdout.trim().split("\n").pop()!));
    }
    expect([...seen.values()].map((s) => s.ours)).toEqual(["2024-08-28T08:15:00Z", "2024-08-28T08:15:00Z", "2024-08-28T08:15:00Z"]);
    expect([...seen.values()].map((s) => s.offset)).toEqual([360, -330, -765]);
    // What the SDK would have sent: 6 h off and unpadded in Denver (the exact example of B01).
    expect(seen.get("America/Denver")!.sdk).toBe("2024-08-28T2:15:34Z");
    expect(seen.get("Asia/Kolkata")!.sdk).toBe("2024-08-28T13:45:34Z");
  });
});
