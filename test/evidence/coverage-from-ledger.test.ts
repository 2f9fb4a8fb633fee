import { describe, expect, it } from "vitest";
import { percentOf, requiredIntervalFor, summarizeCoverage, type LedgerWindow, type RequiredInterval } from "../../src/evidence/coverage-from-ledger.js";

const DAY = "2026-10-01";
const A = "ocid1.compartment.oc1..aaaaaaaabackups";
const B = "ocid1.compartment.oc1..aaaaaaaatokyo";

/** "HH:MM" on 2026-10-01 (or a full ISO instant) → ISO UTC. */
const at = (t: string) => (t.length === 5 ? `${DAY}T${t}:00.000Z` : t);

function row(id: number, start: string, end: string, status: "collected" | "failed", extra: Partial<LedgerWindow> = {}): LedgerWindow {
  return {
    id,
    source: "audit-list-events",
    region: "us-ashburn-1",
    scopeId: A,
    windowStart: at(start),
    windowEnd: at(end),
    status,
    reason: status === "failed" ? "throttled" : null,
    detail: status === "failed" ? `window ${id} failed` : null,
    recordedAt: `2026-10-02T00:00:${String(id).padStart(2, "0")}.000Z`,
    ...extra,
  };
}

function req(start = "00:00", end = "10:00", scopeId = A, source = "audit-list-events"): RequiredInterval {
  return { source, region: "us-ashburn-1", scopeId, start: at(start), end: at(end) };
}

type Gap = [start: string, end: string, status: "failed" | "not-collected", reasons: string[]];

const CASES: {
  name: string;
  rows: LedgerWindow[];
  required?: RequiredInterval;
  minutes: { collected: number; failed: number; notCollected: number };
  windows: { failed: number; recovered: number };
  gaps: Gap[];
}[] = [
  {
    name: "gaps at both ends are not collected",
    rows: [row(1, "02:00", "08:00", "collected")],
    minutes: { collected: 360, failed: 0, notCollected: 240 },
    windows: { failed: 0, recovered: 0 },
    gaps: [
      ["00:00", "02:00", "not-collected", []],
      ["08:00", "10:00", "not-collected", []],
    ],
  },
  {
    name: "overlapping look-back re-reads count once",
    rows: [row(1, "00:00", "06:00", "collected"), row(2, "05:30", "10:00", "collected"), row(3, "04:00", "07:00", "collected")],
    minutes: { collected: 600, failed: 0, notCollected: 0 },
    windows: { failed: 0, recovered: 0 },
    gaps: [],
  },
  {
    name: "a failed window read again later is collected and counted as recovered",
    rows: [row(1, "00:00", "02:00", "collected"), row(2, "02:00", "04:00", "failed"), row(3, "01:00", "10:00", "collected")],
    minutes: { collected: 600, failed: 0, notCollected: 0 },
    windows: { failed: 0, recovered: 1 },
    gaps: [],
  },
  {
    name: "a failed window only partly re-read keeps its remaining minutes as failed",
    rows: [row(1, "00:00", "02:00", "collected"), row(2, "02:00", "04:00", "failed"), row(3, "03:00", "10:00", "collected")],
    minutes: { collected: 540, failed: 60, notCollected: 0 },
    windows: { failed: 1, recovered: 0 },
    gaps: [["02:00", "03:00", "failed", ["throttled"]]],
  },
  {
    name: "adjacent failed windows merge into one gap with every reason",
    rows: [
      row(1, "00:00", "02:00", "collected"),
      row(2, "02:00", "03:00", "failed"),
      row(3, "03:00", "04:00", "failed", { reason: "not-authorized-or-not-found" }),
      row(4, "04:00", "10:00", "collected"),
    ],
    minutes: { collected: 480, failed: 120, notCollected: 0 },
    windows: { failed: 2, recovered: 0 },
    gaps: [["02:00", "04:00", "failed", ["not-authorized-or-not-found", "throttled"]]],
  },
  {
    name: "failed and never-read minutes are told apart, and rows past the interval are clipped",
    rows: [row(1, "00:00", "03:00", "collected"), row(2, "05:00", "12:00", "failed", { reason: "pagination-stalled" })],
    minutes: { collected: 180, failed: 300, notCollected: 120 },
    windows: { failed: 1, recovered: 0 },
    gaps: [
      ["03:00", "05:00", "not-collected", []],
      ["05:00", "10:00", "failed", ["pagination-stalled"]],
    ],
  },
  {
    name: "no row at all leaves the whole interval not collected",
    rows: [],
    minutes: { collected: 0, failed: 0, notCollected: 600 },
    windows: { failed: 0, recovered: 0 },
    gaps: [["00:00", "10:00", "not-collected", []]],
  },
  {
    name: "a row that is not whole minutes is read conservatively (collected shrinks, failed widens)",
    rows: [row(1, `${DAY}T00:00:30.000Z`, "05:00", "collected"), row(2, "05:00", `${DAY}T06:00:10.000Z`, "failed"), row(3, "06:00", "10:00", "collected")],
    minutes: { collected: 539, failed: 60, notCollected: 1 },
    windows: { failed: 1, recovered: 0 },
    gaps: [
      ["00:00", "00:01", "not-collected", []],
      ["05:00", "06:00", "failed", ["throttled"]],
    ],
  },
];

describe("summarizeCoverage", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { scopes, totals } = summarizeCoverage(c.rows, [c.required ?? req()]);
      expect(scopes).toHaveLength(1);
      const s = scopes[0]!;
      expect({ collected: s.collectedMinutes, failed: s.failedMinutes, notCollected: s.notCollectedMinutes }).toEqual(c.minutes);
      expect(s.requiredMinutes).toBe(600);
      expect({ failed: s.failedWindows, recovered: s.recoveredWindows }).toEqual(c.windows);
      expect(s.gaps.map((g): Gap => [g.start, g.end, g.status, g.reasons])).toEqual(c.gaps.map(([a, b, st, r]): Gap => [at(a), at(b), st, r]));
      for (const g of s.gaps) expect(g.minutes).toBe((Date.parse(g.end) - Date.parse(g.start)) / 60_000);
      expect(totals).toMatchObject({ scopes: 1, requiredMinutes: 600, collectedMinutes: c.minutes.collected, failedWindows: c.windows.failed });
    });
  }

  it("keeps the detail of the last recorded failed row of a gap, whatever the row ids", () => {
    const rows = [
      row(7, "02:00", "03:00", "failed", { detail: "429 at 02:00", recordedAt: "2026-10-03T00:00:00.000Z" }),
      row(3, "02:00", "04:00", "failed", { reason: "timeout", detail: "timed out", recordedAt: "2026-10-02T00:00:00.000Z" }),
    ];
    const [s] = summarizeCoverage(rows, [req("02:00", "04:00")]).scopes;
    expect(s!.gaps).toEqual([
      expect.objectContaining({ start: at("02:00"), end: at("04:00"), status: "failed", reasons: ["throttled", "timeout"], detail: "429 at 02:00", failedWindows: 2 }),
    ]);
  });

  it("summarises several scopes separately, in scope order, ignoring rows of scopes not required", () => {
    const rows = [
      row(1, "00:00", "10:00", "collected"),
      row(2, "00:00", "05:00", "collected", { scopeId: B }),
      row(3, "05:00", "10:00", "failed", { scopeId: B, reason: "authentication" }),
      row(4, "00:00", "10:00", "collected", { scopeId: "ocid1.compartment.oc1..zzznotrequired" }),
      // Same compartment, other region: another scope.
      row(5, "00:00", "10:00", "collected", { scopeId: B, region: "us-phoenix-1" }),
    ];
    const { scopes, totals } = summarizeCoverage(rows, [req("00:00", "10:00", B), req()]);
    expect(scopes.map((s) => [s.scopeId, s.collectedMinutes, s.failedMinutes, s.reasons])).toEqual([
      [A, 600, 0, []],
      [B, 300, 300, ["authentication"]],
    ]);
    expect(totals).toEqual({ scopes: 2, requiredMinutes: 1200, collectedMinutes: 900, failedMinutes: 300, notCollectedMinutes: 0, failedWindows: 1, recoveredWindows: 0 });
  });

  it("names the row whose window bound is not an instant", () => {
    expect(() => summarizeCoverage([row(9, "00:00", "10:00", "collected", { windowEnd: "yesterday" })], [req()])).toThrow(
      'coverage window 9: windowEnd: expected an ISO-8601 instant, got "yesterday"',
    );
  });
});

describe("requiredIntervalFor", () => {
  const october = { start: "2026-10-01T00:00:00.000Z", end: "2026-11-01T00:00:00.000Z" };

  it("extends ListEvents by the look-back past the period end (processing time) and not Logging Search (event time)", () => {
    expect(requiredIntervalFor("audit-list-events", october, 30)).toEqual({ start: october.start, end: "2026-11-01T00:30:00.000Z" });
    expect(requiredIntervalFor("logging-search", october, 30)).toEqual(october);
    expect(requiredIntervalFor("export-bucket", october, 30)).toBeNull();
  });

  it("leaves the last 30 minutes of processing time as a gap when ListEvents stopped at the period end", () => {
    const required = { source: "audit-list-events", region: "us-ashburn-1", scopeId: A, ...requiredIntervalFor("audit-list-events", october, 30)! };
    const rows = [row(1, october.start, october.end, "collected")];
    const [s] = summarizeCoverage(rows, [required]).scopes;
    expect(s!.requiredMinutes).toBe(31 * 24 * 60 + 30);
    expect(s!.gaps.map((g) => [g.start, g.end, g.status, g.minutes])).toEqual([["2026-11-01T00:00:00.000Z", "2026-11-01T00:30:00.000Z", "not-collected", 30]]);
    // The same rows read by event time (Logging Search) cover the whole month.
    const [search] = summarizeCoverage([{ ...rows[0]!, source: "logging-search" }], [{ ...required, source: "logging-search", end: october.end }]).scopes;
    expect(search!.gaps).toEqual([]);
  });
});

describe("percentOf", () => {
  it("rounds down so an incomplete scope never reads 100%", () => {
    expect(percentOf(44_669, 44_670)).toBe("99.9%");
    expect(percentOf(600, 600)).toBe("100.0%");
    expect(percentOf(1, 3)).toBe("33.3%");
    expect(percentOf(0, 0)).toBe("—");
  });
});
