/**
 * Logging Search windows are on event time and OCI delivers late: a minute read right after it
 * ended is not final. A pack generated minutes after the month ended must not call the month's
 * last minutes collected (review of issue 5); once the look-back has passed, it may.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPackCoverage } from "../../src/evidence/read-pack-coverage.js";
import { advanceCheckpoint, insertCoverageWindow } from "../../src/store/ingest-ledger.js";
import { insertImportRun } from "../../src/store/import-runs.js";
import { createTestStore, type TestStore } from "../helpers/db.js";

const ROOT = "ocid1.tenancy.oc1..aaaaaaaaexampletenancy1";
const PERIOD = { start: "2026-10-01T00:00:00.000Z", end: "2026-11-01T00:00:00.000Z" };

describe("Logging Search coverage waits for late delivery", () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore("sqlite");
  });
  afterEach(() => t.cleanup());

  async function window(windowStart: string, windowEnd: string, recordedAt: string): Promise<void> {
    const importRunId = await insertImportRun(t.store.db, { source: "oci", startedAt: recordedAt, filesTotal: 0 });
    const key = { source: "logging-search", region: "us-ashburn-1", scopeId: ROOT } as const;
    await insertCoverageWindow(t.store.db, {
      ...key, importRunId, windowStart, windowEnd, status: "collected", reason: null, detail: null,
      pages: 1, eventsRead: 0, eventsStored: 0, duplicates: 0, opcRequestId: null, recordedAt,
    });
    await advanceCheckpoint(t.store.db, key, windowEnd, 86_400_000, recordedAt);
  }
  const read = (generatedAt: string) => readPackCoverage(t.store.db, { period: PERIOD, generatedAt, lookbackMinutes: 30, importRunIds: [], events: 0 });

  it("read at 00:01 after the month: the last 29 minutes are not collected yet; re-read at 00:40: collected", async () => {
    await window("2026-10-01T00:00:00.000Z", "2026-11-01T00:01:00.000Z", "2026-11-01T00:01:05.000Z");
    const early = await read("2026-11-01T00:05:00.000Z");
    expect(early.auditCoverage.totals).toMatchObject({ requiredMinutes: 44_640, collectedMinutes: 44_640 - 29, notCollectedMinutes: 29 });
    expect(early.coverage["audit-events"].status).toBe("partial");

    await window("2026-10-31T23:31:00.000Z", "2026-11-01T00:40:00.000Z", "2026-11-01T00:40:02.000Z");
    const later = await read("2026-11-01T01:00:00.000Z");
    expect(later.auditCoverage.totals).toMatchObject({ requiredMinutes: 44_640, collectedMinutes: 44_640, notCollectedMinutes: 0 });
    expect(later.coverage["audit-events"].status).toBe("collected");
    // The pack reads the ledger as of its own generation: the early view does not change.
    expect((await read("2026-11-01T00:05:00.000Z")).auditCoverage.totals.collectedMinutes).toBe(44_640 - 29);
  });
});
