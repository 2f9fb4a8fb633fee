/**
 * Renders `evidence.xlsx` of an evidence pack (DESIGN §5): one sheet per table, real UTC date cells,
 * untrusted text as text, frozen header and autofilter, streamed so a month of any size fits in
 * flat memory (DESIGN §4: only exceljs' streaming WorkbookWriter, fed row by row).
 */
import { rename, rm, stat, writeFile } from "node:fs/promises";
import ExcelJS from "exceljs";
import type { PackSource } from "./pack-data.js";
import { requireInstant } from "../time/instant.js";
import {
  CONTROLS_TABLE,
  COVERAGE_GAPS_TABLE,
  COVERAGE_SCOPES_TABLE,
  COVERAGE_TABLE,
  COVERAGE_WINDOWS_TABLE,
  coverageGapRows,
  EVENTS_TABLE,
  IMPORTS_TABLE,
  IMPORT_FILES_TABLE,
  KEY_TIMELINE_TABLE,
  RESOURCE_TIMELINE_TABLE,
  timelineRows,
} from "./xlsx/evidence-tables.js";
import { normalizeZipTimes } from "./xlsx/normalize-zip-times.js";
import { SUMMARY_TABLE, summaryRows } from "./xlsx/summary-table.js";
import { EXCEL_MAX_ROWS, writeTable, type SheetWritten } from "./xlsx/write-table.js";

export { EXCEL_MAX_ROWS } from "./xlsx/write-table.js";

export interface RenderXlsxOptions {
  /**
   * Rows per sheet, header included, before a table continues on "Name (2)", ...; default and
   * maximum {@link EXCEL_MAX_ROWS} (Excel's limit), minimum 2. Tests pass a small one.
   */
  maxRowsPerSheet?: number;
}

export interface RenderXlsxResult {
  /** Size of the written file in bytes. */
  bytes: number;
  /** Every worksheet in workbook order, with its data rows (header row not counted). */
  sheets: SheetWritten[];
}

/**
 * Writes the evidence workbook for `source` to `outPath`.
 *
 * Sheets, in order: Summary, Controls, Coverage, CoverageScopes, CoverageGaps, CoverageWindows (the
 * coverage ledger), KeyTimeline, ResourceTimeline, Events (continued
 * on "Events (2)", ... past `maxRowsPerSheet`), Imports, ImportFiles. Events are pulled one at a time from
 * `source.events()` and committed as written; nothing holds the whole month.
 *
 * Output contract:
 * - every time is a numeric Excel date cell computed from UTC epoch ms (numFmt
 *   `yyyy-mm-dd hh:mm:ss.000`, or `yyyy-mm-dd` for a calendar date), in a column or row whose label
 *   ends with " (UTC)"; the file is identical under any process TZ;
 * - all text is written as inline strings (never formulas), with characters XML 1.0 cannot carry
 *   replaced by U+FFFD and text beyond Excel's 32,767-character cell limit cut with a visible note;
 * - identical input gives a byte-identical file: workbook properties and every ZIP entry time are
 *   set to `data.generatedAt`.
 *
 * The file is written beside `outPath` under a temporary name and renamed into place when
 * complete; on failure the temporary file is removed and `outPath` is left untouched.
 * @throws TypeError when `data.generatedAt` or `data.period.end` is not an ISO instant; RangeError
 *   for a bad `maxRowsPerSheet`; file system errors (e.g. missing directory) and any error of the
 *   event iterator, as they are.
 */
export async function renderEvidenceXlsx(
  source: PackSource,
  outPath: string,
  options: RenderXlsxOptions = {},
): Promise<RenderXlsxResult> {
  const { data } = source;
  const generatedAt = new Date(requireInstant(data.generatedAt, "generatedAt").epochMs);
  const tableOptions = { maxRowsPerSheet: options.maxRowsPerSheet ?? EXCEL_MAX_ROWS };
  const partialPath = `${outPath}.${process.pid}.partial`;
  // Create the file first: exceljs opens it lazily and would report a bad path as an unhandled
  // stream error instead of a rejected promise.
  await writeFile(partialPath, "");

  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: partialPath,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = "keyproof";
  workbook.lastModifiedBy = "keyproof";
  workbook.created = generatedAt;
  workbook.modified = generatedAt;

  const sheets: SheetWritten[] = [];
  let commitStarted = false;
  try {
    sheets.push(...(await writeTable(workbook, SUMMARY_TABLE, summaryRows(data), tableOptions)));
    sheets.push(...(await writeTable(workbook, CONTROLS_TABLE, data.verdicts, tableOptions)));
    sheets.push(...(await writeTable(workbook, COVERAGE_TABLE, data.coverage, tableOptions)));
    sheets.push(...(await writeTable(workbook, COVERAGE_SCOPES_TABLE, data.auditCoverage.scopes, tableOptions)));
    sheets.push(...(await writeTable(workbook, COVERAGE_GAPS_TABLE, coverageGapRows(data.auditCoverage.scopes), tableOptions)));
    sheets.push(...(await writeTable(workbook, COVERAGE_WINDOWS_TABLE, data.auditCoverage.windows, tableOptions)));
    sheets.push(...(await writeTable(workbook, KEY_TIMELINE_TABLE, timelineRows(data.keyTimelines), tableOptions)));
    sheets.push(
      ...(await writeTable(workbook, RESOURCE_TIMELINE_TABLE, timelineRows(data.resourceTimelines), tableOptions)),
    );
    sheets.push(...(await writeTable(workbook, EVENTS_TABLE, source.events(), tableOptions)));
    sheets.push(...(await writeTable(workbook, IMPORTS_TABLE, data.imports, tableOptions)));
    sheets.push(...(await writeTable(workbook, IMPORT_FILES_TABLE, data.importFiles, tableOptions)));
    commitStarted = true;
    await workbook.commit();
    await normalizeZipTimes(partialPath, generatedAt);
    await rename(partialPath, outPath);
  } catch (error) {
    // A second commit would wait forever for a stream that already finished: only finish the
    // workbook (so exceljs releases the file) when the failure came before its commit.
    if (!commitStarted) await workbook.commit().catch(() => undefined);
    await rm(partialPath, { force: true }).catch(() => undefined);
    throw error;
  }
  const { size } = await stat(outPath);
  return { bytes: size, sheets };
}
