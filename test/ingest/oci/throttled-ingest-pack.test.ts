/**
 * Issue 5 acceptance, end to end: "a throttled or unauthorised window shows up in the coverage
 * ledger and in the pack's coverage section". The simulator (real SDK clients, its clock at
 * 2026-11-01T03:00Z) holds October's audit events of the example tenancy's three compartments;
 * ListEvents answers 429 to every attempt of the first window of the first compartment read, and
 * nothing else fails. One `runIngest`, then the October pack: the failed window is in the ledger,
 * the PDF's coverage section, the XLSX CoverageWindows sheet, and the audit events are "partial".
 *
 * maxWindowMinutes is 14 days (its maximum): with the default (one day) the first window of a
 * 40-day backfill, 2026-09-22..09-23, would end before October and not be part of this pack.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Config } from "../../../src/app/config.js";
import { silentLogger } from "../../../src/app/logger.js";
import { generatePack, type GeneratePackResult } from "../../../src/evidence/generate-pack.js";
import { runIngest, type IngestRunResult } from "../../../src/ingest/oci/run-ingest.js";
import type { OciPorts } from "../../../src/oci/oci-ports.js";
import { createSimClock } from "../../../src/sim/sim-clock.js";
import { fixedClock } from "../../../src/time/instant.js";
import { createTestStore, TEST_DIALECTS, type TestStore } from "../../helpers/db.js";
import { extractPdfText, squash } from "../../helpers/extract-pdf-text.js";
import { readSheetRecords } from "../../helpers/read-sheet.js";
import { portsFor, TEST_RETRY } from "../../helpers/oci-ports.js";
import { EXAMPLE, useSimulator } from "../../helpers/sim.js";
import { appendAuditEvents, ledgerRows, storedEventIds } from "./audit-event-factory.js";

const NOW = "2026-11-01T03:00:00.000Z";
const GENERATED_AT = "2026-11-01T04:00:00.000Z";
const OCTOBER = { from: Date.parse("2026-10-01T00:00:00.000Z"), to: Date.parse("2026-11-01T00:00:00.000Z") };
const BACKFILL_START = "2026-09-22T03:00:00.000Z";
const FIRST_WINDOW_END = "2026-10-06T03:00:00.000Z";
const COMPARTMENTS = [EXAMPLE.tenancyId, EXAMPLE.securityId, EXAMPLE.backupProdId];

const sheetRows = async (file: string, name: string) => (await readSheetRecords(file, name)).rows;

describe.each(TEST_DIALECTS)("a throttled ListEvents window, from the simulator to the pack (%s)", (dialect) => {
  const suite = useSimulator({ clock: createSimClock({ start: NOW }), maxClockSkewMs: Infinity });
  let t: TestStore;
  let ports: OciPorts;
  const ids = new Map<string, string[]>();
  let first: string;
  let run: IngestRunResult;
  let pack: GeneratePackResult;

  beforeAll(async () => {
    const { sim } = suite();
    t = await createTestStore(dialect);
    for (const compartmentId of COMPARTMENTS) {
      ids.set(compartmentId, appendAuditEvents(sim, { compartmentId, count: 24, fromMs: OCTOBER.from + 3_600_000, toMs: OCTOBER.to - 3_600_000 }));
    }
    ports = portsFor(sim); // instant retry sleeps, TEST_RETRY bounds
    const config = Config.parse({
      reportsDir: path.join(t.dir, "reports"),
      ingest: { backfillDays: 40, snapshots: false, maxWindowMinutes: 14 * 24 * 60 },
    });
    // Every attempt of the first ListEvents call: the retry layer gives up on that window.
    sim.faults.set("ListEvents", { kind: "throttle", times: TEST_RETRY.maxAttempts });
    const since = sim.calls.length;
    try {
      run = await runIngest({ store: t.store, ports, logger: silentLogger(), now: () => sim.clock.now().toISOString(), config });
    } finally {
      sim.faults.clear("ListEvents");
    }
    const listEvents = sim.calls.slice(since).filter((c) => c.operation === "ListEvents");
    first = new URL(listEvents[0]!.path, "http://sim").searchParams.get("compartmentId")!;
    // The 429s all went to that first call (its retries carry the same compartment and window).
    expect(listEvents.slice(0, TEST_RETRY.maxAttempts).map((c) => [c.path, c.status])).toEqual(Array(TEST_RETRY.maxAttempts).fill([listEvents[0]!.path, 429]));
    expect(listEvents.slice(TEST_RETRY.maxAttempts).every((c) => c.status === 200)).toBe(true);
    pack = await generatePack({ store: t.store, clock: fixedClock(GENERATED_AT), logger: silentLogger(), config }, { month: "2026-10" });
  });
  afterAll(async () => {
    ports?.close();
    await t?.cleanup();
  });

  it("the run is partial: one window of the first compartment failed 'throttled', the other compartments were collected", async () => {
    expect(COMPARTMENTS).toContain(first);
    expect(run.status).toBe("partial");
    expect(run.steps.map((s) => [s.step, s.status])).toEqual([["audit", "partial"], ["export-bucket", "skipped"], ["snapshot", "skipped"], ["archive", "skipped"]]);
    expect(run.audit).toMatchObject({ source: "audit-list-events", scopes: 3, windowsFailed: 1 });
    expect(run.audit!.failures).toEqual([
      expect.objectContaining({ source: "audit-list-events", scopeId: first, windowStart: BACKFILL_START, windowEnd: FIRST_WINDOW_END, reason: "throttled" }),
    ]);
    expect(run.audit!.failures[0]!.detail).toMatch(/^ListEvents: 429 TooManyRequests: .* \(after 6 attempts\)$/);

    const stored = new Set(await storedEventIds(t.store));
    expect(ids.get(first)!.some((id) => stored.has(id))).toBe(false);
    for (const other of COMPARTMENTS.filter((c) => c !== first)) expect(ids.get(other)!.every((id) => stored.has(id)), other).toBe(true);
    expect(run.audit!.eventsStored).toBe(48);
  });

  it("the coverage ledger has the failed row for that compartment, and nothing after it", async () => {
    const rows = await ledgerRows(t.store, "audit-list-events");
    const failed = rows.filter((r) => r.status === "failed");
    expect(failed).toEqual([
      expect.objectContaining({ scopeId: first, windowStart: BACKFILL_START, windowEnd: FIRST_WINDOW_END, reason: "throttled", eventsStored: 0, importRunId: run.importRunId }),
    ]);
    expect(rows.filter((r) => r.scopeId === first)).toHaveLength(1);
    // The other compartments: collected without a gap from the backfill start to the run's minute.
    for (const other of COMPARTMENTS.filter((c) => c !== first)) {
      const mine = rows.filter((r) => r.scopeId === other);
      expect(mine.every((r) => r.status === "collected"), other).toBe(true);
      expect([mine[0]!.windowStart, mine.at(-1)!.windowEnd]).toEqual([BACKFILL_START, NOW]);
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.windowStart).toBe(mine[i - 1]!.windowEnd);
    }
  });

  it("the pack's audit coverage is partial, with the failed and the never-read minutes of that compartment; no control is COMPLIANT", () => {
    // Required per compartment: [10-01, 11-01T00:30) = 44,670 min (30 min look-back). The first
    // compartment: [10-01, 10-06T03:00) failed = 7,380 min, the rest not collected (its checkpoint never moved).
    expect(pack.data.auditCoverage.totals).toEqual({
      scopes: 3, requiredMinutes: 134_010, collectedMinutes: 89_340, failedMinutes: 7_380, notCollectedMinutes: 37_290, failedWindows: 1, recoveredWindows: 0,
    });
    const audit = pack.data.coverage.find((c) => c.evidence === "Audit events")!;
    expect(audit.status).toBe("partial");
    expect(audit.detail).toContain(`${first} 2026-10-01T00:00:00.000Z to ${FIRST_WINDOW_END} (7,380 min) failed: throttled (429 TooManyRequests)`);
    expect(pack.data.verdicts.length).toBeGreaterThan(0);
    expect(pack.data.verdicts.filter((v) => v.verdict === "COMPLIANT")).toEqual([]);
    expect(pack.data.counts.events).toBe(48);
  });

  it("the PDF's coverage section names the compartment's gap and 'throttled'", async () => {
    const text = squash((await extractPdfText(path.join(pack.dir, "summary.pdf"))).pages.join("\n"));
    for (const expected of [
      "Audit event collection (coverage ledger)",
      first, "2026-10-01T00:00:00.000Z", FIRST_WINDOW_END, "throttled (429 TooManyRequests)",
      run.audit!.failures[0]!.detail,
      "Incomplete: 44,670 of 134,010 required minutes of audit events were not collected",
    ]) {
      expect(text, expected).toContain(squash(expected));
    }
    expect(text).not.toContain(squash("every required minute"));
  });

  it("the XLSX CoverageWindows sheet has the failed row as the ledger holds it", async () => {
    const windows = await sheetRows(path.join(pack.dir, "evidence.xlsx"), "CoverageWindows");
    const failed = windows.filter((w) => w.Status === "failed");
    const [ledger] = (await ledgerRows(t.store, "audit-list-events")).filter((r) => r.status === "failed");
    expect(failed).toEqual([
      expect.objectContaining({
        Source: "audit-list-events", "Scope id": first, "Window start (UTC)": BACKFILL_START, "Window end, exclusive (UTC)": FIRST_WINDOW_END,
        Status: "failed", Reason: "throttled", Detail: ledger!.detail, "Events stored": 0, "Import run id": run.importRunId,
      }),
    ]);
    expect(ledger!.detail).toMatch(/^ListEvents: 429 TooManyRequests/);
    // The other compartments' October windows are there too, as collected.
    const collectedScopes = new Set(windows.filter((w) => w.Status === "collected").map((w) => w["Scope id"]));
    expect([...collectedScopes].sort()).toEqual(COMPARTMENTS.filter((c) => c !== first).sort());
  });
});
