import { afterEach, describe, expect, it } from "vitest";
import { advanceCheckpoint, insertCoverageWindow, listCheckpoints, listCoverageWindows, readCheckpoint, type NewCoverageWindow } from "../../src/store/ingest-ledger.js";
import { insertImportRun } from "../../src/store/import-runs.js";
import { createTestStore, TEST_DIALECTS, type TestStore } from "../helpers/db.js";

const KEY = { source: "audit-list-events", region: "us-ashburn-1", scopeId: "ocid1.compartment.oc1..aaaa" } as const;

describe.each(TEST_DIALECTS)("ingest ledger (%s)", (dialect) => {
  let t: TestStore | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it("a checkpoint only moves forward and remembers the window length", async () => {
    t = await createTestStore(dialect);
    const db = t.store.db;
    expect(await readCheckpoint(db, KEY)).toBeNull();
    await advanceCheckpoint(db, KEY, "2026-11-01T10:00:00.000Z", 3_600_000, "2026-11-01T10:05:00.000Z");
    await advanceCheckpoint(db, KEY, "2026-11-01T09:00:00.000Z", 60_000, "2026-11-01T10:06:00.000Z");
    expect(await readCheckpoint(db, KEY)).toEqual({ collectedTo: "2026-11-01T10:00:00.000Z", windowMs: 3_600_000, updatedAt: "2026-11-01T10:05:00.000Z" });
    await advanceCheckpoint(db, KEY, "2026-11-01T11:00:00.000Z", 120_000, "2026-11-01T11:05:00.000Z");
    expect((await readCheckpoint(db, KEY))?.collectedTo).toBe("2026-11-01T11:00:00.000Z");
    expect(await readCheckpoint(db, { ...KEY, scopeId: "other" })).toBeNull();
    expect(await listCheckpoints(db)).toHaveLength(1);
  });

  it("ledger rows are listed by overlap with a period, and as recorded by an instant", async () => {
    t = await createTestStore(dialect);
    const db = t.store.db;
    const importRunId = await insertImportRun(db, { source: "oci", startedAt: "2026-11-01T00:00:00.000Z", filesTotal: 0 });
    const base: NewCoverageWindow = {
      ...KEY, importRunId, windowStart: "2026-10-31T23:00:00.000Z", windowEnd: "2026-11-01T01:00:00.000Z", status: "collected",
      reason: null, detail: null, pages: 2, eventsRead: 10, eventsStored: 9, duplicates: 1, opcRequestId: "r1", recordedAt: "2026-11-01T02:00:00.000Z",
    };
    await insertCoverageWindow(db, base);
    await insertCoverageWindow(db, { ...base, windowStart: "2026-11-01T01:00:00.000Z", windowEnd: "2026-11-01T02:00:00.000Z", status: "failed", reason: "throttled", detail: "429", recordedAt: "2026-11-01T03:00:00.000Z" });
    await insertCoverageWindow(db, { ...base, windowStart: "2026-10-30T00:00:00.000Z", windowEnd: "2026-10-31T00:00:00.000Z" });
    const rows = await listCoverageWindows(db, { from: "2026-11-01T00:00:00.000Z", to: "2026-12-01T00:00:00.000Z" });
    expect(rows.map((r) => [r.windowStart, r.status, r.reason])).toEqual([
      ["2026-10-31T23:00:00.000Z", "collected", null],
      ["2026-11-01T01:00:00.000Z", "failed", "throttled"],
    ]);
    expect(rows[0]).toMatchObject({ pages: 2, eventsRead: 10, eventsStored: 9, duplicates: 1, opcRequestId: "r1", importRunId });
    const asOf = await listCoverageWindows(db, { from: "2026-11-01T00:00:00.000Z", to: "2026-12-01T00:00:00.000Z", recordedBy: "2026-11-01T02:30:00.000Z" });
    expect(asOf).toHaveLength(1);
  });
});
