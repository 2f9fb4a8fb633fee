/**
 * cases.md B04: a 24 h window holding 47,000 events whose first ListEvents page has 20,000 events.
 * Real SDK clients against the simulator, on SQLite (the PostgreSQL writer's chunking is B29 in
 * test/store/audit-event-writer.test.ts; ListEvents ingestion on PostgreSQL runs in
 * list-events.failures.test.ts and throttled-ingest-pack.test.ts): 47,000 events through both
 * stores would double the suite's longest ingestion test for no new path.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestListEvents } from "../../../src/ingest/oci/ingest-list-events.js";
import type { OciPorts } from "../../../src/oci/oci-ports.js";
import { setAuditPaging } from "../../../src/sim/audit/audit-paging.js";
import { createSimClock } from "../../../src/sim/sim-clock.js";
import { listCheckpoints } from "../../../src/store/ingest-ledger.js";
import { countAuditEvents } from "../../../src/store/audit-events.js";
import { TEST_DIALECTS, useTestStore } from "../../helpers/db.js";
import { portsFor } from "../../helpers/oci-ports.js";
import { EXAMPLE, useSimulator } from "../../helpers/sim.js";
import { appendAuditEvents, ledgerRows, storedEventIds, testIngestDeps } from "./audit-event-factory.js";

const NOW = "2026-11-29T12:00:00.000Z";
const T = Date.parse(NOW);
const MINUTE = 60_000;
const DAY = 86_400_000;
const BURST_START = T - 5 * 60 * MINUTE;

describe.each(TEST_DIALECTS.filter((d) => d === "sqlite"))("Audit ListEvents B04: adaptive windows over a large day (%s)", (dialect) => {
  const suite = useSimulator({ clock: createSimClock({ start: NOW }), maxClockSkewMs: Infinity });
  const testStore = useTestStore(dialect);
  let ports: OciPorts;
  let appended: Set<string>;

  beforeAll(() => {
    const { sim } = suite();
    setAuditPaging(sim.state, { listEventsPageSize: 20_000 });
    // 41,000 events spread over the day plus a burst of 6,000 in one minute (more than
    // maxWindowEvents, so that minute can only be accepted whole).
    const spread = appendAuditEvents(sim, { compartmentId: EXAMPLE.backupProdId, count: 41_000, fromMs: T - DAY, toMs: T });
    const burst = appendAuditEvents(sim, { compartmentId: EXAMPLE.backupProdId, count: 6_000, fromMs: BURST_START, toMs: BURST_START + MINUTE });
    appended = new Set([...spread, ...burst]);
    ports = portsFor(sim);
  });
  afterAll(() => ports.close());

  it("stores all 47,000 events exactly once in whole-minute windows that partition the day, then a rerun adds nothing", async () => {
    const { store } = testStore();
    const { sim } = suite();
    const deps = await testIngestDeps(store, ports, sim, { compartments: [EXAMPLE.backupProdId], backfillDays: 1 });
    const callsBefore = sim.calls.length;

    const started = performance.now();
    const result = await ingestListEvents(deps);
    const seconds = (performance.now() - started) / 1000;
    const listEventsCalls = sim.calls.slice(callsBefore).filter((c) => c.operation === "ListEvents").length;
    console.log(`B04 (${dialect}): ${result.eventsStored} events in ${seconds.toFixed(1)} s = ${Math.round(result.eventsStored / seconds)} events/s stored; ${result.windowsCollected} windows, ${listEventsCalls} ListEvents calls`);

    expect(result.failures).toEqual([]);
    expect(result.eventsStored).toBe(47_000);
    expect(result.duplicates).toBe(0);
    const ids = await storedEventIds(store);
    expect(ids).toHaveLength(47_000);
    expect(new Set(ids).size).toBe(47_000);
    expect(ids.every((id) => appended.has(id))).toBe(true);

    const windows = (await ledgerRows(store, "audit-list-events")).filter((w) => w.scopeId === EXAMPLE.backupProdId);
    expect(windows.every((w) => w.status === "collected")).toBe(true);
    expect(windows[0]!.windowStart).toBe(new Date(T - DAY).toISOString());
    expect(windows.at(-1)!.windowEnd).toBe(NOW);
    for (let i = 0; i < windows.length; i++) {
      const w = windows[i]!;
      const start = Date.parse(w.windowStart);
      const end = Date.parse(w.windowEnd);
      expect(start % MINUTE, w.windowStart).toBe(0);
      expect(end % MINUTE, w.windowEnd).toBe(0);
      expect(end).toBeGreaterThan(start);
      if (i > 0) expect(w.windowStart, `window ${i}`).toBe(windows[i - 1]!.windowEnd);
      if (end - start > MINUTE) expect(w.eventsRead, `${w.windowStart}..${w.windowEnd}`).toBeLessThanOrEqual(5_000);
    }
    expect(windows.reduce((n, w) => n + w.eventsRead, 0)).toBe(47_000);
    // The burst minute was accepted whole although it holds more than maxWindowEvents.
    const burstWindow = windows.find((w) => w.windowStart === new Date(BURST_START).toISOString())!;
    expect(burstWindow).toMatchObject({ windowEnd: new Date(BURST_START + MINUTE).toISOString() });
    expect(burstWindow.eventsRead).toBeGreaterThanOrEqual(6_000);
    // The first call asked for the whole day and got a 20,000-event page: the day was split.
    expect(windows.length).toBeGreaterThan(10);

    const checkpoint = (await listCheckpoints(store.db)).find((c) => c.scopeId === EXAMPLE.backupProdId)!;
    expect(checkpoint.collectedTo).toBe(windows.at(-1)!.windowEnd);

    // Rerun at the same instant: only the look-back (30 min) is read again, all duplicates.
    const inLookback = [...sim.audit.query({ compartmentIds: [EXAMPLE.backupProdId], processedFrom: new Date(T - 30 * MINUTE), processedTo: new Date(T) })].length;
    const rerun = await ingestListEvents(await testIngestDeps(store, ports, sim, { compartments: [EXAMPLE.backupProdId], backfillDays: 1 }));
    expect(rerun).toMatchObject({ eventsStored: 0, duplicates: inLookback, windowsFailed: 0 });
    expect(inLookback).toBeGreaterThan(0);
    expect(await countAuditEvents(store.db)).toBe(47_000);
  });
});
