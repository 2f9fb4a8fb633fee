/**
 * runIngest (what `keyproof ingest` and the scheduler run): its steps, the import run it records,
 * and the snapshot interval (ingestion runs hourly; a state snapshot once a day by default).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Config } from "../../../src/app/config.js";
import { silentLogger } from "../../../src/app/logger.js";
import { runIngest } from "../../../src/ingest/oci/run-ingest.js";
import type { OciPorts } from "../../../src/oci/oci-ports.js";
import { createSimClock } from "../../../src/sim/sim-clock.js";
import { findImportRunById } from "../../../src/store/import-runs.js";
import { listSnapshotRuns } from "../../../src/store/snapshots.js";
import { useTestStore } from "../../helpers/db.js";
import { portsFor } from "../../helpers/oci-ports.js";
import { EXAMPLE, useSimulator } from "../../helpers/sim.js";
import { appendAuditEvents } from "./audit-event-factory.js";

const NOW = "2026-11-29T12:00:00.000Z";
const HOUR = 3_600_000;

describe("runIngest", () => {
  const suite = useSimulator({ clock: createSimClock({ start: NOW }), maxClockSkewMs: Infinity });
  const testStore = useTestStore("sqlite");
  let ports: OciPorts;
  beforeAll(() => {
    const { sim } = suite();
    ports = portsFor(sim);
    appendAuditEvents(sim, { compartmentId: EXAMPLE.backupProdId, count: 30, fromMs: Date.parse(NOW) - 5 * HOUR, toMs: Date.parse(NOW) - HOUR });
  });
  afterAll(() => ports.close());

  const run = (ingest: Record<string, unknown>) => {
    const { sim } = suite();
    return runIngest({ store: testStore().store, ports, logger: silentLogger(), now: () => sim.clock.now().toISOString(), config: Config.parse({ ingest: { backfillDays: 1, ...ingest } }) });
  };

  it("records one finished import run with the audit totals, and takes a snapshot at most once per snapshotIntervalHours", async () => {
    const { sim } = suite();
    try {
      const first = await run({});
      expect(first.status).toBe("succeeded");
      expect(first.steps.map((s) => [s.step, s.status])).toEqual([["audit", "succeeded"], ["export-bucket", "skipped"], ["snapshot", "succeeded"], ["archive", "skipped"]]);
      expect(first.audit).toMatchObject({ eventsStored: 30, failures: [] });
      expect(await findImportRunById(testStore().store.db, first.importRunId)).toMatchObject({
        source: "oci", status: "succeeded", recordsRead: first.audit!.eventsRead, recordsStored: 30, duplicates: 0, finishedAt: NOW,
      });

      sim.clock.advance(HOUR);
      const second = await run({});
      expect(second.steps.find((s) => s.step === "snapshot")).toMatchObject({ status: "skipped", summary: expect.stringContaining(`of ${NOW} is less than ingest.snapshotIntervalHours (24) old`) });
      sim.clock.advance(23 * HOUR);
      expect((await run({})).steps.find((s) => s.step === "snapshot")?.status).toBe("succeeded");
      expect((await run({ snapshotIntervalHours: 0 })).steps.find((s) => s.step === "snapshot")?.status).toBe("succeeded");
      expect((await run({ snapshots: false })).steps.find((s) => s.step === "snapshot")).toMatchObject({ status: "skipped", summary: "config.ingest.snapshots is false" });
      expect((await listSnapshotRuns(testStore().store.db)).map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    } finally {
      sim.clock.set(NOW);
    }
  });

  it("a step that cannot run at all is recorded as failed and the others still run; the run is failed only when every step failed", async () => {
    const { sim } = suite();
    sim.faults.set("ListCompartments", { kind: "internal-error" });
    try {
      const result = await run({});
      // The snapshot still reads what does not need the compartment tree (Audit retention, vaults of the tenancy...).
      expect(result.steps.map((s) => [s.step, s.status])).toEqual([["audit", "failed"], ["export-bucket", "skipped"], ["snapshot", "partial"], ["archive", "skipped"]]);
      expect(result.steps[0]!.error).toContain("ListCompartments");
      expect(result.status).toBe("partial");
      const alone = await run({ snapshots: false });
      expect(alone.status).toBe("failed");
      expect(await findImportRunById(testStore().store.db, alone.importRunId)).toMatchObject({ status: "failed" });
    } finally {
      sim.faults.clear();
    }
  });
});
