/**
 * Logging Search windows that cannot be collected (cases.md B07 for SearchLogs, throttling): a
 * "failed" ledger row with the reason, nothing of the window stored, the root's checkpoint unmoved,
 * the other roots collected; a rerun after the fault is gone collects the window. Also: which
 * roots are queried.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ingestListEvents } from "../../../src/ingest/oci/ingest-list-events.js";
import { ingestLoggingSearch } from "../../../src/ingest/oci/ingest-logging-search.js";
import type { OciPorts } from "../../../src/oci/oci-ports.js";
import { createSimClock } from "../../../src/sim/sim-clock.js";
import { listCheckpoints } from "../../../src/store/ingest-ledger.js";
import { useTestStore } from "../../helpers/db.js";
import { portsFor } from "../../helpers/oci-ports.js";
import { EXAMPLE, useSimulator } from "../../helpers/sim.js";
import { appendAuditEvents, ledgerRows, storedEventIds, testIngestDeps } from "./audit-event-factory.js";

const NOW = "2026-11-29T12:00:00.000Z";
const T = Date.parse(NOW);
const HOUR = 3_600_000;
const DAY_START = new Date(T - 24 * HOUR).toISOString();
const TWO_ROOTS = { audit: "logging-search", backfillDays: 1, compartments: [EXAMPLE.securityId, EXAMPLE.backupProdId] };

describe("Logging Search: failed windows in the coverage ledger", () => {
  const suite = useSimulator({ clock: createSimClock({ start: NOW }), maxClockSkewMs: Infinity });
  const testStore = useTestStore("sqlite");
  let ports: OciPorts;
  const ids = { security: [] as string[], backupProd: [] as string[] };
  beforeAll(() => {
    const { sim } = suite();
    // 1,500 records need two pages of 1000 (a stuck paginator shows from the second page on).
    ids.security = appendAuditEvents(sim, { compartmentId: EXAMPLE.securityId, count: 1_500, fromMs: T - 5 * HOUR, toMs: T - HOUR });
    ids.backupProd = appendAuditEvents(sim, { compartmentId: EXAMPLE.backupProdId, count: 10, fromMs: T - 5 * HOUR, toMs: T - HOUR });
    ports = portsFor(sim);
  });
  afterAll(() => ports.close());
  afterEach(() => suite().sim.faults.clear());

  /** SearchLogs calls about `root` since audit record `from` (the simulator audits each call with the query's compartment). */
  const searchCalls = (from: number, root: string) =>
    suite().sim.audit.all().slice(from).filter((r) => r.event.data.eventName === "SearchLogs" && r.event.data.compartmentId === root).length;

  for (const mode of ["same-token", "repeat-first-item"] as const) {
    it(`B07 ${mode}: the root's window fails "pagination-stalled" within 3 extra calls; the other root is collected; a rerun collects it`, async () => {
      const { store } = testStore();
      const { sim } = suite();
      sim.faults.set("SearchLogs", { pagination: mode });
      const before = sim.audit.all().length;
      const result = await ingestLoggingSearch(await testIngestDeps(store, ports, sim, TWO_ROOTS));

      // A good read takes 2 pages: same token is noticed on page 2, a repeated first record on page 3.
      expect(searchCalls(before, EXAMPLE.securityId)).toBe(mode === "same-token" ? 2 : 3);
      expect(result.failures).toEqual([
        expect.objectContaining({ source: "logging-search", scopeId: EXAMPLE.securityId, windowStart: DAY_START, windowEnd: NOW, reason: "pagination-stalled" }),
      ]);
      const stored = new Set(await storedEventIds(store));
      expect(ids.security.some((id) => stored.has(id))).toBe(false);
      expect(ids.backupProd.every((id) => stored.has(id))).toBe(true);
      expect((await listCheckpoints(store.db)).map((c) => [c.scopeId, c.collectedTo])).toEqual([[EXAMPLE.backupProdId, NOW]]);
      expect((await ledgerRows(store, "logging-search")).map((w) => [w.scopeId, w.status, w.reason])).toEqual(
        [[EXAMPLE.securityId, "failed", "pagination-stalled"], [EXAMPLE.backupProdId, "collected", null]].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
      );

      sim.faults.clear("SearchLogs");
      const rerun = await ingestLoggingSearch(await testIngestDeps(store, ports, sim, TWO_ROOTS));
      expect(rerun).toMatchObject({ windowsFailed: 0, eventsStored: 1_500 });
      const after = new Set(await storedEventIds(store));
      expect(ids.security.every((id) => after.has(id))).toBe(true);
    });
  }

  it('429 on every attempt: failed rows "throttled" for each root, nothing stored', async () => {
    const { store } = testStore();
    const { sim } = suite();
    sim.faults.set("SearchLogs", { kind: "throttle" });
    const result = await ingestLoggingSearch(await testIngestDeps(store, ports, sim, TWO_ROOTS));
    expect(result.failures.map((f) => [f.scopeId, f.reason]).sort()).toEqual([[EXAMPLE.securityId, "throttled"], [EXAMPLE.backupProdId, "throttled"]].sort());
    expect((await ledgerRows(store, "logging-search")).every((w) => w.status === "failed" && w.reason === "throttled")).toBe(true);
    expect(await storedEventIds(store)).toEqual([]);
    expect(await listCheckpoints(store.db)).toEqual([]);
  });

  it("a root inside another root's subtree is not queried again; ListEvents reads each compartment once", async () => {
    const { store } = testStore();
    const { sim } = suite();
    const ingest = { backfillDays: 1, compartments: [EXAMPLE.securityId, EXAMPLE.tenancyId, EXAMPLE.securityId] };
    const search = await ingestLoggingSearch(await testIngestDeps(store, ports, sim, ingest));
    expect(search).toMatchObject({ scopes: 1, eventsStored: 1_510, failures: [] });
    expect((await listCheckpoints(store.db)).map((c) => c.scopeId)).toEqual([EXAMPLE.tenancyId]);
    const list = await ingestListEvents(await testIngestDeps(store, ports, sim, ingest));
    expect(list).toMatchObject({ scopes: 3, failures: [] });
    // The same events in the ListEvents envelope (CloudEvents 0.1, not 1.0): same ids, same time,
    // operation, resource, request id and status, other JSON: recognised as the same events
    // (isSameEventOtherEnvelope), so a switch of config.ingest.audit never doubles the archive.
    expect(list).toMatchObject({ eventsStored: 0, duplicates: 1_510, conflicts: 0 });
  });
});
