/**
 * ListEvents windows that cannot be collected (cases.md B07, throttling, missing permission): a
 * "failed" ledger row with the reason, nothing of the window stored, the checkpoint unmoved, the
 * other compartments collected; after the fault is gone a rerun collects the window.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ingestListEvents } from "../../../src/ingest/oci/ingest-list-events.js";
import type { OciPorts } from "../../../src/oci/oci-ports.js";
import { setAuditPaging } from "../../../src/sim/audit/audit-paging.js";
import { createSimClock } from "../../../src/sim/sim-clock.js";
import { listCheckpoints } from "../../../src/store/ingest-ledger.js";
import { TEST_DIALECTS, useTestStore } from "../../helpers/db.js";
import { portsFor } from "../../helpers/oci-ports.js";
import { EXAMPLE, generatedUser, useSimulator } from "../../helpers/sim.js";
import { appendAuditEvents, ledgerRows, storedEventIds, testIngestDeps } from "./audit-event-factory.js";

const NOW = "2026-11-29T12:00:00.000Z";
const T = Date.parse(NOW);
const HOUR = 3_600_000;
const DAY_START = new Date(T - 24 * HOUR).toISOString();
const limited = generatedUser("no-list-events", { allowedOperations: ["ListCompartments", "GetConfiguration"] });

describe.each(TEST_DIALECTS)("Audit ListEvents: failed windows in the coverage ledger (%s)", (dialect) => {
  const suite = useSimulator({
    clock: createSimClock({ start: NOW }), maxClockSkewMs: Infinity,
    changeSeed: (seed) => seed.users.push(limited.seedUser as (typeof seed.users)[number]),
  });
  const testStore = useTestStore(dialect);
  let ports: OciPorts;
  const ids = { security: [] as string[], backupProd: [] as string[], tenancy: [] as string[] };

  beforeAll(() => {
    const { sim } = suite();
    // Pages of 5: the security compartment's 12 events take three pages, the others fit in one
    // (a non-advancing paginator only shows on the second page).
    setAuditPaging(sim.state, { listEventsPageSize: 5 });
    ids.security = appendAuditEvents(sim, { compartmentId: EXAMPLE.securityId, count: 12, fromMs: T - 3 * HOUR, toMs: T - HOUR });
    ids.backupProd = appendAuditEvents(sim, { compartmentId: EXAMPLE.backupProdId, count: 4, fromMs: T - 3 * HOUR, toMs: T - HOUR });
    ids.tenancy = appendAuditEvents(sim, { compartmentId: EXAMPLE.tenancyId, count: 3, fromMs: T - 3 * HOUR, toMs: T - HOUR });
    ports = portsFor(sim);
  });
  afterAll(() => ports.close());
  afterEach(() => suite().sim.faults.clear());

  const listEventsCalls = (from: number, compartmentId: string) =>
    suite().sim.calls.slice(from).filter((c) => c.operation === "ListEvents" && c.path.includes(`compartmentId=${compartmentId}`));

  it("ListCompartments failing: a first run fails the step (no scope is known yet); a later run records every known compartment as failed, with the reason", async () => {
    const { store } = testStore();
    const { sim } = suite();
    sim.faults.set("ListCompartments", { kind: "throttle" });
    await expect(ingestListEvents(await testIngestDeps(store, ports, sim, { backfillDays: 1 }))).rejects.toMatchObject({ reason: "throttled" });
    expect(await ledgerRows(store)).toEqual([]);
    sim.faults.clear();
    await ingestListEvents(await testIngestDeps(store, ports, sim, { backfillDays: 1 }));
    const checkpoints = await listCheckpoints(store.db);
    expect(checkpoints).toHaveLength(3);
    sim.clock.advance(HOUR);
    try {
      sim.faults.set("ListCompartments", { kind: "throttle" });
      const result = await ingestListEvents(await testIngestDeps(store, ports, sim, { backfillDays: 1 }));
      expect(result).toMatchObject({ scopes: 3, windowsCollected: 0, windowsFailed: 3 });
      const failed = (await ledgerRows(store)).filter((w) => w.status === "failed");
      expect(failed.map((w) => w.scopeId).sort()).toEqual(checkpoints.map((c) => c.scopeId).sort());
      for (const w of failed) {
        expect(w.reason).toBe("throttled");
        expect(w.windowStart).toBe(new Date(T - 30 * 60_000).toISOString());
        expect(w.windowEnd).toBe(new Date(T + HOUR).toISOString());
        expect(w.detail).toContain("the compartment tree could not be listed");
      }
      expect(await listCheckpoints(store.db)).toEqual(checkpoints);
    } finally {
      sim.clock.set(NOW);
    }
  });

  for (const mode of ["same-token", "repeat-first-item"] as const) {
    it(`B07 ${mode}: the window fails "pagination-stalled" within 3 extra calls, the others are collected, a rerun after the fix collects it`, async () => {
      const { store } = testStore();
      const { sim } = suite();
      sim.faults.set("ListEvents", { pagination: mode });
      const before = sim.calls.length;
      const result = await ingestListEvents(await testIngestDeps(store, ports, sim, { backfillDays: 1 }));

      // A good read needs 3 pages; the stuck page is noticed at once (same token: page 2;
      // repeated first record: page 3, which repeats page 2).
      const calls = listEventsCalls(before, EXAMPLE.securityId);
      expect(calls).toHaveLength(mode === "same-token" ? 2 : 3);
      expect(result.failures).toEqual([
        expect.objectContaining({ source: "audit-list-events", scopeId: EXAMPLE.securityId, windowStart: DAY_START, windowEnd: NOW, reason: "pagination-stalled" }),
      ]);
      expect(result.failures[0]!.detail).toMatch(/ListEvents: pagination did not advance/);
      const ledger = await ledgerRows(store, "audit-list-events");
      expect(ledger.filter((w) => w.scopeId === EXAMPLE.securityId)).toEqual([
        expect.objectContaining({ status: "failed", reason: "pagination-stalled", windowStart: DAY_START, windowEnd: NOW, eventsStored: 0, pages: calls.length }),
      ]);
      const stored = new Set(await storedEventIds(store));
      expect(ids.security.some((id) => stored.has(id))).toBe(false);
      expect([...ids.backupProd, ...ids.tenancy].every((id) => stored.has(id))).toBe(true);
      const checkpoints = await listCheckpoints(store.db);
      expect(checkpoints.map((c) => c.scopeId).sort()).toEqual([EXAMPLE.backupProdId, EXAMPLE.tenancyId].sort());
      expect(checkpoints.every((c) => c.collectedTo === NOW)).toBe(true);

      sim.faults.clear("ListEvents");
      const rerun = await ingestListEvents(await testIngestDeps(store, ports, sim, { backfillDays: 1 }));
      expect(rerun.failures).toEqual([]);
      expect(rerun.eventsStored).toBe(12);
      const after = new Set(await storedEventIds(store));
      expect(ids.security.every((id) => after.has(id))).toBe(true);
      const security = (await ledgerRows(store, "audit-list-events")).filter((w) => w.scopeId === EXAMPLE.securityId);
      expect(security.map((w) => [w.status, w.windowStart, w.windowEnd])).toEqual([
        ["failed", DAY_START, NOW],
        ["collected", DAY_START, NOW],
      ]);
      expect(security[1]).toMatchObject({ pages: 3, eventsRead: 12, eventsStored: 12 });
    });
  }

  it('429 on every attempt: each window is a failed ledger row "throttled", no checkpoint moves', async () => {
    const { store } = testStore();
    const { sim } = suite();
    sim.faults.set("ListEvents", { kind: "throttle" });
    const result = await ingestListEvents(await testIngestDeps(store, ports, sim, { backfillDays: 1 }));
    expect(result.windowsCollected).toBe(0);
    expect(result.failures.map((f) => [f.scopeId, f.reason]).sort()).toEqual(
      [EXAMPLE.tenancyId, EXAMPLE.securityId, EXAMPLE.backupProdId].map((id) => [id, "throttled"]).sort(),
    );
    const ledger = await ledgerRows(store, "audit-list-events");
    expect(ledger).toHaveLength(3);
    expect(ledger.every((w) => w.status === "failed" && w.reason === "throttled" && w.windowStart === DAY_START && w.windowEnd === NOW)).toBe(true);
    expect(await listCheckpoints(store.db)).toEqual([]);
    expect(await storedEventIds(store)).toEqual([]);
  });

  it('a principal without ListEvents: failed rows "not-authorized-or-not-found"', async () => {
    const { store } = testStore();
    const { sim } = suite();
    const limitedPorts = portsFor(sim, { userId: limited.seedUser.id, privateKeyPem: limited.privateKey });
    try {
      const result = await ingestListEvents(await testIngestDeps(store, limitedPorts, sim, { backfillDays: 1 }));
      expect(result.failures).toHaveLength(3);
      expect(result.failures.every((f) => f.reason === "not-authorized-or-not-found")).toBe(true);
      const ledger = await ledgerRows(store, "audit-list-events");
      expect(ledger.map((w) => [w.scopeId, w.status, w.reason]).sort()).toEqual(
        [EXAMPLE.tenancyId, EXAMPLE.securityId, EXAMPLE.backupProdId].map((id) => [id, "failed", "not-authorized-or-not-found"]).sort(),
      );
      expect(await listCheckpoints(store.db)).toEqual([]);
    } finally {
      limitedPorts.close();
    }
  });
});
