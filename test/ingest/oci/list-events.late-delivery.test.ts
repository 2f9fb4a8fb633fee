/**
 * Late delivery (issue 5 acceptance): events OCI processes up to 15 minutes after they happen all
 * arrive exactly once over ingestion runs every 5 minutes of simulator time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestListEvents } from "../../../src/ingest/oci/ingest-list-events.js";
import type { OciPorts } from "../../../src/oci/oci-ports.js";
import { createSimClock } from "../../../src/sim/sim-clock.js";
import { TEST_DIALECTS, useTestStore } from "../../helpers/db.js";
import { portsFor } from "../../helpers/oci-ports.js";
import { EXAMPLE, useSimulator } from "../../helpers/sim.js";
import { ledgerRows, simulateLateDelivery, uncoveredRanges, storedEventIds, testIngestDeps } from "./audit-event-factory.js";
import type { SourceResult } from "../../../src/ingest/oci/ingest-deps.js";

const MINUTE = 60_000;

describe.each(TEST_DIALECTS)("Audit ListEvents: late delivery (%s)", (dialect) => {
  const suite = useSimulator({ clock: createSimClock({ start: "2026-11-29T00:00:00.000Z" }), maxClockSkewMs: Infinity });
  const testStore = useTestStore(dialect);
  let ports: OciPorts;
  beforeAll(() => {
    ports = portsFor(suite().sim);
  });
  afterAll(() => ports.close());

  it("events delivered up to 15 minutes late all arrive exactly once with a run every 5 minutes", async () => {
    const { store } = testStore();
    const { sim } = suite();
    const results: SourceResult[] = [];
    const { ids, lateAtStepEnd } = await simulateLateDelivery(sim, {
      compartmentIds: [EXAMPLE.securityId, EXAMPLE.backupProdId], busySteps: 24, quietSteps: 4, stepMs: 5 * MINUTE,
      eventsPerStep: 6, maxDelayMs: 15 * MINUTE,
      afterStep: async () => {
        results.push(await ingestListEvents(await testIngestDeps(store, ports, sim, { backfillDays: 1 })));
      },
    });
    expect(lateAtStepEnd).toBeGreaterThan(50);
    expect(results.flatMap((r) => r.failures)).toEqual([]);
    const stored = await storedEventIds(store);
    expect(new Set(stored).size).toBe(stored.length);
    expect(stored.sort()).toEqual([...ids].sort());
    expect(results.reduce((n, r) => n + r.eventsStored, 0)).toBe(ids.length);
    // The look-back re-read events already stored: they count as duplicates, never as new rows.
    expect(results.reduce((n, r) => n + r.duplicates, 0)).toBeGreaterThan(0);
    // Every compartment's ledger covers the whole period without a gap.
    for (const scopeId of [EXAMPLE.tenancyId, EXAMPLE.securityId, EXAMPLE.backupProdId]) {
      const windows = (await ledgerRows(store, "audit-list-events")).filter((w) => w.scopeId === scopeId);
      expect(uncoveredRanges(windows, "2026-11-28T00:05:00.000Z", sim.clock.now().toISOString())).toEqual([]);
    }
  });
});
