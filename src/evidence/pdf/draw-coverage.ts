/**
 * Section 5 of `summary.pdf`: what evidence was and was not collected, and the import runs the
 * pack used.
 */
import type { CoverageItem, ImportSummary, PackData } from "../pack-data.js";
import type { PageWriter } from "./page-writer.js";
import { drawTable, type Cell } from "./draw-table.js";
import { COLORS, SIZES, VERDICT_COLORS } from "./pdf-style.js";
import { formatCount } from "./format-count.js";

/** Most import runs listed; the rest are counted in a note (they are all in evidence.xlsx). */
export const MAX_IMPORT_ROWS = 500;

const STATUS_COLORS: Record<CoverageItem["status"], { fill: string; text: string; bar: string | null }> = {
  collected: VERDICT_COLORS.COMPLIANT,
  partial: VERDICT_COLORS.NO_EVIDENCE,
  "not-collected": VERDICT_COLORS.NON_COMPLIANT,
};

/** Section 5: coverage statement and import runs. */
export async function drawCoverage(w: PageWriter, data: PackData): Promise<void> {
  w.section("coverage", "5  Coverage: evidence collected and not collected", { newPage: true });
  const gaps = data.coverage.filter((c) => c.status !== "collected");
  w.paragraph(
    gaps.length === 0 && data.coverage.length > 0
      ? "All evidence keyproof needs for this period was collected."
      : `Evidence for this period was not fully collected: ${formatCount(gaps.length)} of ${formatCount(data.coverage.length)} ` +
          "kinds of evidence are partial or missing. Verdicts that depend on them are NO_EVIDENCE, never compliant.",
  );
  if (data.coverage.length === 0) {
    w.note("No coverage information was recorded for this pack: no statement can be made about what was collected.");
  } else {
    await drawTable(
      w,
      [
        { header: "Evidence", weight: 28 },
        { header: "Status", weight: 16 },
        { header: "Detail", weight: 56 },
      ],
      data.coverage.map((c): Cell[] => {
        const colors = STATUS_COLORS[c.status];
        return [{ parts: [{ text: c.evidence, bold: true }] }, { parts: [{ text: c.status, bold: true, color: colors.text }], fill: colors.fill, bar: colors.bar }, c.detail];
      }),
    );
  }

  w.heading("Imports used", { keepWithNext: 60 });
  if (data.imports.length === 0) {
    w.paragraph("No import runs are recorded for this period.", { color: COLORS.muted });
  } else {
    w.paragraph(
      `${formatCount(data.imports.length)} import run(s) brought this period's audit events into the store. ` +
        "Read, stored, duplicate, conflict and rejected counts are totals of each whole run, which can span other months.",
    );
    await drawTable(
      w,
      [
        { header: "Run", weight: 6, align: "right" },
        { header: "Source", weight: 22 },
        { header: "Started (UTC)", weight: 14 },
        { header: "Finished (UTC)", weight: 14 },
        { header: "Status", weight: 10 },
        { header: "Read", weight: 7, align: "right" },
        { header: "Stored", weight: 7, align: "right" },
        { header: "Dupl.", weight: 6, align: "right" },
        { header: "Confl.", weight: 7, align: "right" },
        { header: "Rej.", weight: 7, align: "right" },
      ],
      importRows(data.imports),
      { size: SIZES.tableSmall },
    );
    if (data.imports.length > MAX_IMPORT_ROWS) {
      w.note(`${formatCount(data.imports.length - MAX_IMPORT_ROWS)} more import runs in evidence.xlsx sheet Imports.`);
    }
  }
}

function* importRows(imports: readonly ImportSummary[]): Generator<Cell[]> {
  for (const r of imports.slice(0, MAX_IMPORT_ROWS)) {
    yield [
      String(r.runId),
      r.source,
      r.startedAt,
      r.finishedAt ?? "not finished",
      r.status,
      formatCount(r.recordsRead),
      formatCount(r.recordsStored),
      formatCount(r.duplicates),
      formatCount(r.conflicts),
      formatCount(r.rejected),
    ];
  }
}
