/**
 * cases.md B05: one month of `_Audit` through Logging Search, with a window whose query matches
 * 2,345 records answered 1000 (token) / 1000 (token) / 345 (no token), and one whose last page has
 * exactly 1000 records and no token. Real SDK clients against the simulator, on both dialects.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestLoggingSearch } from "../../../src/ingest/oci/ingest-logging-search.js";
import type { OciPorts } from "../../../src/oci/oci-ports.js";
import { createSimClock } from "../../../src/sim/sim-clock.js";
import { listCheckpoints } from "../../../src/store/ingest-ledger.js";
import { TEST_DIALECTS, useTestStore } from "../../helpers/db.js";
import { portsFor } from "../../helpers/oci-ports.js";
import { EXAMPLE, useSimulator } from "../../helpers/sim.js";
import { appendAuditEvents, ledgerRows, storedEventIds, testIngestDeps, uncoveredRanges } from "./audit-event-factory.js";

const NOW = "2026-11-29T12:00:00.000Z";
const T = Date.parse(NOW);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(TEST_DIALECTS)("Logging Search B05: the page token is followed to its absence (%s)", (dialect) => {
  const suite = useSimulator({ clock: createSimClock({ start: NOW }), maxClockSkewMs: Infinity });
  const testStore = useTestStore(dialect);
  let ports: OciPorts;
  let expected: string[];
  beforeAll(() => {
    const { sim } = suite();
    // Windows are days from NOW - 30 d: day 10 holds 2,345 matching records (in two compartments of
    // the subtree), day 20 exactly 2,000; reads no timeline uses are not matched by the query.
    const day10 = T - 20 * DAY;
    const day20 = T - 10 * DAY;
    expected = [
      ...appendAuditEvents(sim, { compartmentId: EXAMPLE.securityId, count: 1_345, fromMs: day10 + HOUR, toMs: day10 + 20 * HOUR, eventName: "CreateKeyVersion", source: "KeyManagementService" }),
      ...appendAuditEvents(sim, { compartmentId: EXAMPLE.backupProdId, count: 1_000, fromMs: day10 + HOUR, toMs: day10 + 20 * HOUR }),
      ...appendAuditEvents(sim, { compartmentId: EXAMPLE.backupProdId, count: 2_000, fromMs: day20 + HOUR, toMs: day20 + 20 * HOUR }),
    ];
    appendAuditEvents(sim, { compartmentId: EXAMPLE.securityId, count: 300, fromMs: day10, toMs: day10 + DAY, eventName: "GetKey", source: "KeyManagementService" });
    ports = portsFor(sim);
  });
  afterAll(() => ports.close());

  it("stores 2,345 records read as 1000 + 1000 + 345, and a window whose last page holds exactly 1000 with no token", async () => {
    const { store } = testStore();
    const { sim } = suite();
    const before = sim.calls.length;
    const result = await ingestLoggingSearch(await testIngestDeps(store, ports, sim, { audit: "logging-search", backfillDays: 30 }));

    expect(result).toMatchObject({ source: "logging-search", scopes: 1, windowsCollected: 30, windowsFailed: 0, eventsRead: 4_345, eventsStored: 4_345, duplicates: 0 });
    const stored = await storedEventIds(store);
    expect(stored.sort()).toEqual([...expected].sort());
    const envelopes = await store.db.selectFrom("audit_event").select("envelope").distinct().execute();
    expect(envelopes).toEqual([{ envelope: "logging-cloudevents" }]);

    const windows = await ledgerRows(store, "logging-search");
    expect(windows).toHaveLength(30);
    expect(windows.every((w) => w.scopeId === EXAMPLE.tenancyId && w.status === "collected")).toBe(true);
    expect(uncoveredRanges(windows, iso(T - 30 * DAY), NOW)).toEqual([]);
    expect(windows.find((w) => w.windowStart === iso(T - 20 * DAY))).toMatchObject({ windowEnd: iso(T - 19 * DAY), pages: 3, eventsRead: 2_345, eventsStored: 2_345 });
    expect(windows.find((w) => w.windowStart === iso(T - 10 * DAY))).toMatchObject({ windowEnd: iso(T - 9 * DAY), pages: 2, eventsRead: 2_000, eventsStored: 2_000 });
    expect(windows.filter((w) => w.pages !== 1)).toHaveLength(2);

    // 30 windows, plus two more pages on day 10 and one more on day 20; every page asks for 1000.
    const calls = sim.calls.slice(before).filter((c) => c.operation === "SearchLogs");
    expect(calls).toHaveLength(33);
    expect(calls.every((c) => c.path.includes("limit=1000"))).toBe(true);
    expect(calls.filter((c) => c.path.includes("page=")).length).toBe(3);
    expect(await listCheckpoints(store.db)).toEqual([expect.objectContaining({ source: "logging-search", scopeId: EXAMPLE.tenancyId, collectedTo: NOW })]);
  });
});
