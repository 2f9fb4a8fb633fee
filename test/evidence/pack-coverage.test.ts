/**
 * Issue 5 item 5: a throttled and an unauthorised ListEvents window show up in the coverage ledger
 * and in the pack's coverage section. A real store (SQLite and PostgreSQL) with the example export's
 * October 2026 events, ledger rows written through insertCoverageWindow and a state snapshot; the
 * pack is generated and its PDF text and XLSX cells are read back.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.js";
import { silentLogger } from "../../src/app/logger.js";
import { generatePack } from "../../src/evidence/generate-pack.js";
import type { PackData } from "../../src/evidence/pack-data.js";
import { renderSummaryPdf } from "../../src/evidence/render-pdf.js";
import { importAuditFiles } from "../../src/ingest/import-audit-files.js";
import { advanceCheckpoint, insertCoverageWindow, type NewCoverageWindow } from "../../src/store/ingest-ledger.js";
import { insertImportRun } from "../../src/store/import-runs.js";
import { fixedClock } from "../../src/time/instant.js";
import { createTestStore, TEST_DIALECTS, type TestStore } from "../helpers/db.js";
import { extractPdfText, squash } from "../helpers/extract-pdf-text.js";
import { readSheetRecords } from "../helpers/read-sheet.js";
import { buildPackData, packSourceOf } from "../helpers/pack-data-factory.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import * as F from "../fixtures/audit-export-facts.js";

const GENERATED_AT = "2026-11-02T06:00:00.000Z";
const A = F.BACKUP_PROD;
const B = F.SECURITY;
const THROTTLED = "ListEvents: 429 TooManyRequests, gave up after 6 attempts in 120 s";
const UNAUTHORISED = "ListEvents: 404 NotAuthorizedOrNotFound (keyproof principal lacks read audit-events in this compartment)";

const sheetRows = readSheetRecords;

describe.each(TEST_DIALECTS)("the pack's coverage from the ledger (%s)", (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  /** The October 2026 pack of the store, generatePack end to end (both dialects). */
  async function buildPack(): Promise<{ data: PackData; pdf: string; xlsx: string }> {
    const config = { ...loadConfig({}), reportsDir: path.join(t.dir, "reports") };
    const pack = await generatePack({ store: t.store, clock: fixedClock(GENERATED_AT), logger: silentLogger(), config }, { month: "2026-10" });
    return { data: pack.data, pdf: path.join(pack.dir, "summary.pdf"), xlsx: path.join(pack.dir, "evidence.xlsx") };
  }

  async function seed(): Promise<void> {
    const logDeps = { store: t.store, clock: fixedClock(GENERATED_AT), logger: silentLogger() };
    await importAuditFiles(logDeps, { paths: [path.join(REPO_ROOT, "examples/audit-export")] });
    const db = t.store.db;
    const runId = await insertImportRun(db, { source: "audit", startedAt: "2026-10-01T00:17:00.000Z", filesTotal: 0 });
    const base = { importRunId: runId, source: "audit-list-events" as const, region: "us-ashburn-1", reason: null, detail: null, pages: 3, eventsRead: 20, eventsStored: 18, duplicates: 2, opcRequestId: null };
    const w = (o: Partial<NewCoverageWindow> & Pick<NewCoverageWindow, "scopeId" | "windowStart" | "windowEnd" | "recordedAt">): NewCoverageWindow => ({ ...base, status: "collected", ...o });
    const failed = { status: "failed" as const, pages: 0, eventsRead: 0, eventsStored: 0, duplicates: 0 };
    for (const row of [
      // Outside the period: not listed.
      w({ scopeId: A, windowStart: "2026-09-01T00:00:00.000Z", windowEnd: "2026-09-30T23:00:00.000Z", recordedAt: "2026-09-30T23:17:00.000Z" }),
      // Throttled across the period start, then re-read from 00:00: recovered.
      w({ scopeId: A, windowStart: "2026-09-30T23:00:00.000Z", windowEnd: "2026-10-01T01:00:00.000Z", recordedAt: "2026-10-01T01:17:00.000Z", ...failed, reason: "throttled", detail: "429 at the month start" }),
      w({ scopeId: A, windowStart: "2026-10-01T00:00:00.000Z", windowEnd: "2026-10-17T00:00:00.000Z", recordedAt: "2026-10-17T00:17:00.000Z", opcRequestId: "OPC-A-1" }),
      w({ scopeId: A, windowStart: "2026-10-17T00:00:00.000Z", windowEnd: "2026-10-18T00:00:00.000Z", recordedAt: "2026-10-18T00:17:00.000Z", ...failed, reason: "throttled", detail: THROTTLED, opcRequestId: "OPC-A-429" }),
      w({ scopeId: A, windowStart: "2026-10-18T00:00:00.000Z", windowEnd: "2026-11-01T00:30:00.000Z", recordedAt: "2026-11-01T00:47:00.000Z", eventsRead: 36, eventsStored: 36, duplicates: 0 }),
      w({ scopeId: B, windowStart: "2026-10-01T00:00:00.000Z", windowEnd: "2026-10-20T10:00:00.000Z", recordedAt: "2026-10-20T10:17:00.000Z" }),
      w({ scopeId: B, windowStart: "2026-10-20T10:00:00.000Z", windowEnd: "2026-10-20T11:00:00.000Z", recordedAt: "2026-10-20T11:17:00.000Z", ...failed, reason: "not-authorized-or-not-found", detail: UNAUTHORISED, opcRequestId: "OPC-B-404" }),
      w({ scopeId: B, windowStart: "2026-10-20T11:00:00.000Z", windowEnd: "2026-11-01T00:00:00.000Z", recordedAt: "2026-11-01T00:17:00.000Z" }),
      // Re-read of the throttled day recorded after the pack was generated: not part of this pack.
      w({ scopeId: A, windowStart: "2026-10-17T00:00:00.000Z", windowEnd: "2026-10-18T00:00:00.000Z", recordedAt: "2026-11-02T07:00:00.000Z" }),
    ]) {
      await insertCoverageWindow(db, row);
    }
    await advanceCheckpoint(db, { source: "audit-list-events", region: "us-ashburn-1", scopeId: A }, "2026-11-01T00:30:00.000Z", 86_400_000, "2026-11-01T00:47:00.000Z");

    // A state snapshot of 2026-10-31 (the tables H3's snapshot writes), with the audit retention setting.
    const run = await db
      .insertInto("snapshot_run")
      .values({ started_at: "2026-10-31T23:00:00.000Z", observed_at: "2026-10-31T23:00:00.000Z", finished_at: "2026-10-31T23:01:10.000Z", status: "succeeded", region: "us-ashburn-1", scope_json: "{}", counts_json: "{}", errors_json: "[]" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("snapshot_body").values([{ sha256: "c".repeat(64), body_json: '{"retentionPeriodDays":365}' }, { sha256: "d".repeat(64), body_json: "{}" }]).execute();
    const item = (kind: string, ocid: string, sha: string) => ({ snapshot_run_id: run.id, observed_at: "2026-10-31T23:00:00.000Z", kind, ocid, parent_id: null, compartment_id: A, lifecycle_state: null, body_sha256: sha });
    await db
      .insertInto("snapshot_item")
      .values([item("audit-configuration", F.TENANCY, "c".repeat(64)), item("key", F.KB, "d".repeat(64)), item("key-version", F.KB_V4, "d".repeat(64))])
      .execute();
  }

  it("names the throttled and the unauthorised window with their reasons in the PDF and the XLSX, and says partial", async () => {
    await seed();
    const pack = await buildPack();

    // Hand-computed: A needs [10-01, 11-01T00:30) = 44,670 min, 1,440 failed (10-17); B the same, 60 failed, 30 never read.
    expect(pack.data.auditCoverage.totals).toEqual({
      scopes: 2, requiredMinutes: 89_340, collectedMinutes: 87_810, failedMinutes: 1_500, notCollectedMinutes: 30, failedWindows: 2, recoveredWindows: 1,
    });
    const audit = pack.data.coverage.find((c) => c.evidence === "Audit events")!;
    expect(audit.status).toBe("partial");
    expect(audit.detail).toContain("87,810 of 89,340 required minutes collected (98.2%)");
    expect(audit.detail).toContain(`${A} 2026-10-17T00:00:00.000Z to 2026-10-18T00:00:00.000Z (1,440 min) failed: throttled (429 TooManyRequests)`);
    expect(audit.detail).toContain(`${B} 2026-10-20T10:00:00.000Z to 2026-10-20T11:00:00.000Z (60 min) failed: unauthorised or not found`);
    expect(pack.data.coverage.find((c) => c.evidence.startsWith("Key and key-version"))).toMatchObject({ status: "collected" });
    expect(pack.data.coverage.find((c) => c.evidence.startsWith("Audit retention"))).toMatchObject({ status: "collected", detail: expect.stringContaining("365 days") });
    expect(pack.data.coverage.find((c) => c.evidence.startsWith("Tagged resource"))?.detail).toContain("0 tagged resources");
    expect(pack.data.verdicts.filter((v) => v.verdict === "COMPLIANT")).toEqual([]);
    expect(pack.data.verdicts.find((v) => v.controlId === "PCI DSS v4.0.1 10.5.1")?.reason).toContain("Partial (completeness not established): Audit events");

    const text = squash((await extractPdfText(pack.pdf)).pages.join("\n"));
    for (const expected of [
      "Audit event collection (coverage ledger)",
      "2026-10-17T00:00:00.000Z", "2026-10-18T00:00:00.000Z", "throttled (429 TooManyRequests)", THROTTLED,
      "2026-10-20T10:00:00.000Z", "2026-10-20T11:00:00.000Z", "unauthorised or not found (404 NotAuthorizedOrNotFound)", UNAUTHORISED,
      "2026-11-01T00:00:00.000Z", "not collected",
      "Incomplete: 1,530 of 89,340 required minutes of audit events were not collected",
      "OCI Audit retention period: 365 days",
    ]) {
      expect(text, expected).toContain(squash(expected));
    }
    expect(text).not.toContain(squash("every required minute"));

    const xlsx = pack.xlsx;
    const windows = await sheetRows(xlsx, "CoverageWindows");
    const dbRows = await t.store.db
      .selectFrom("coverage_window")
      .selectAll()
      .where("recorded_at", "<=", GENERATED_AT)
      .where("window_end", ">", "2026-10-01T00:00:00.000Z")
      .orderBy("id")
      .execute();
    expect(dbRows).toHaveLength(7);
    const byId = new Map(windows.rows.map((r) => [r["Ledger id"], r]));
    expect([...byId.keys()]).toEqual(dbRows.map((r) => r.id));
    for (const r of dbRows) {
      expect(byId.get(r.id), `ledger row ${r.id}`).toEqual({
        "Ledger id": r.id, Source: r.source, Region: r.region, "Scope id": r.scope_id,
        "Window start (UTC)": r.window_start, "Window end, exclusive (UTC)": r.window_end, Status: r.status, Reason: r.reason, Detail: r.detail,
        Pages: r.pages, "Events read": r.events_read, "Events stored": r.events_stored, Duplicates: r.duplicates,
        "opc-request-id": r.opc_request_id, "Import run id": r.import_run_id, "Recorded at (UTC)": r.recorded_at,
      });
    }
    const gaps = await sheetRows(xlsx, "CoverageGaps");
    expect(gaps.rows.map((g) => [g["Scope id"], g["From (UTC)"], g["To, exclusive (UTC)"], g.Minutes, g.Status, g.Reasons, g["Last detail"]])).toEqual(
      [
        [A, "2026-10-17T00:00:00.000Z", "2026-10-18T00:00:00.000Z", 1440, "failed", "throttled", THROTTLED],
        [B, "2026-10-20T10:00:00.000Z", "2026-10-20T11:00:00.000Z", 60, "failed", "not-authorized-or-not-found", UNAUTHORISED],
        [B, "2026-11-01T00:00:00.000Z", "2026-11-01T00:30:00.000Z", 30, "not-collected", null, null],
      ].sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : String(x[0]) > String(y[0]) ? 1 : 0)),
    );
    const summary = await sheetRows(xlsx, "Summary");
    const value = (label: string) => summary.rows.find((r) => r.Item === label)?.Value;
    const events = await t.store.db
      .selectFrom("audit_event")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("event_time", ">=", "2026-10-01T00:00:00.000Z")
      .where("event_time", "<", "2026-11-01T00:00:00.000Z")
      .executeTakeFirstOrThrow();
    expect(value("Audit events")).toBe(Number(events.n));
    expect(Number(events.n)).toBeGreaterThan(0);
    expect([value("Audit minutes required"), value("Audit minutes collected"), value("Audit minutes failed"), value("Audit minutes not collected")]).toEqual([89_340, 87_810, 1_500, 30]);
    const scopes = await sheetRows(xlsx, "CoverageScopes");
    expect(scopes.rows.map((s) => [s["Scope id"], s["Required to, exclusive (UTC)"], s["Failed windows"], s["Recovered windows"], s.Reasons])).toContainEqual([A, "2026-11-01T00:30:00.000Z", 1, 1, "throttled"]);
  });

  it("calls the audit events collected only when every required minute of every scope is", async () => {
    const db = t.store.db;
    const runId = await insertImportRun(db, { source: "audit", startedAt: "2026-10-01T00:17:00.000Z", filesTotal: 0 });
    const row = { importRunId: runId, source: "audit-list-events" as const, region: "us-ashburn-1", scopeId: A, status: "collected" as const, reason: null, detail: null, pages: 0, eventsRead: 0, eventsStored: 0, duplicates: 0, opcRequestId: null };
    await insertCoverageWindow(db, { ...row, windowStart: "2026-10-01T00:00:00.000Z", windowEnd: "2026-10-20T00:00:00.000Z", recordedAt: "2026-10-20T00:10:00.000Z" });
    await insertCoverageWindow(db, { ...row, windowStart: "2026-10-19T23:30:00.000Z", windowEnd: "2026-11-01T00:30:00.000Z", recordedAt: "2026-11-01T00:40:00.000Z" });
    const pack = await buildPack();
    expect(pack.data.coverage.find((c) => c.evidence === "Audit events")).toMatchObject({ status: "collected" });
    expect(pack.data.auditCoverage.totals).toMatchObject({ requiredMinutes: 44_670, collectedMinutes: 44_670 });
    // Complete evidence of one kind never makes a control COMPLIANT by itself.
    expect(pack.data.verdicts.map((v) => v.verdict)).toEqual(Array(6).fill("NO_EVIDENCE"));
    const text = squash((await extractPdfText(pack.pdf)).pages.join("\n"));
    if (dialect === "sqlite") expect(text).toContain(squash("No audit event of this period: every required minute of every collected compartment was read"));
    expect(text).toContain(squash("No gap: every required minute of every scope was collected."));
  });
});

describe("the activity section of an incomplete period", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "keyproof-cov-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("never says 'no events' as if the archive were complete when the ledger has failed minutes", async () => {
    const data = buildPackData({
      counts: { events: 0, eventTypes: 0, keyTimelines: 0, resourceTimelines: 0, timelineEntries: 0, conflicts: 0 },
      activity: { eventTypes: [], principals: [], compartments: [], distinct: { eventTypes: 0, principals: 0, compartments: 0 } },
      keyTimelines: [],
      resourceTimelines: [],
    });
    const t = data.auditCoverage.totals;
    expect(t.failedMinutes).toBeGreaterThan(0);
    const file = path.join(dir, "summary.pdf");
    await renderSummaryPdf(packSourceOf(data, []), file);
    const text = squash((await extractPdfText(file)).pages.join("\n"));
    const missing = t.failedMinutes + t.notCollectedMinutes;
    expect(text).toContain(squash(`No audit event of this period is in the archive, and ${missing.toLocaleString("en-US")} of ${t.requiredMinutes.toLocaleString("en-US")} required minutes were not collected`));
    expect(text).not.toContain(squash("every required minute of every collected compartment was read"));
  });
});
