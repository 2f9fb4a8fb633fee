/**
 * Late delivery through Logging Search (issue 5 acceptance): SearchLogs windows are on event time
 * and only show records already ingested, so a record ingested up to 15 minutes after it happened
 * is missed by the run that covers its time and caught by the look-back of a later run, once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourceResult } from "../../../src/ingest/oci/ingest-deps.js";
import { ingestLoggingSearch } from "../../../src/ingest/oci/ingest-logging-search.js";
import type { OciPorts } from "../../../src/oci/oci-ports.js";
import { createSimClock } from "../../../src/sim/sim-clock.js";
import { TEST_DIALECTS, useTestStore } from "../../helpers/db.js";
import { portsFor } from "../../helpers/oci-ports.js";
import { EXAMPLE, useSimulator } from "../../helpers/sim.js";
import { ledgerRows, simulateLateDelivery, storedEventIds, testIngestDeps, uncoveredRanges } from "./audit-event-factory.js";

const MINUTE = 60_000;

describe.each(TEST_DIALECTS)("Logging Search: late delivery (%s)", (dialect) => {
  const suite = useSimulator({ clock: createSimClock({ start: "2026-11-29T00:00:00.000Z" }), maxClockSkewMs: Infinity });
  const testStore = useTestStore(dialect);
  let ports: OciPorts;
  beforeAll(() => {
    ports = portsFor(suite().sim);
  });
  afterAll(() => ports.close());

  it("records ingested up to 15 minutes late all arrive exactly once with a run every 5 minutes", async () => {
    const { store } = testStore();
    const { sim } = suite();
    const results: SourceResult[] = [];
    const { ids, lateAtStepEnd } = await simulateLateDelivery(sim, {
      compartmentIds: [EXAMPLE.securityId, EXAMPLE.backupProdId], busySteps: 24, quietSteps: 4, stepMs: 5 * MINUTE,
      eventsPerStep: 6, maxDelayMs: 15 * MINUTE,
      afterStep: async () => {
        results.push(await ingestLoggingSearch(await testIngestDeps(store, ports, sim, { audit: "logging-search", backfillDays: 1 })));
      },
    });
    expect(lateAtStepEnd).toBeGreaterThan(50);
    expect(results.flatMap((r) => r.failures)).toEqual([]);
    const stored = await storedEventIds(store);
    expect(new Set(stored).size).toBe(stored.length);
    expect(stored.sort()).toEqual([...ids].sort());
    expect(results.reduce((n, r) => n + r.eventsStored, 0)).toBe(ids.length);
    expect(results.reduce((n, r) => n + r.duplicates, 0)).toBeGreaterThan(0);
    const windows = await ledgerRows(store, "logging-search");
    expect(uncoveredRanges(windows, "2026-11-28T00:05:00.000Z", sim.clock.now().toISOString())).toEqual([]);
  });
});
