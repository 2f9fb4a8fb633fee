/**
 * Section 5 of `summary.pdf`: what evidence was and was not collected, the coverage ledger of the
 * audit events (per scope, and the gaps with their reasons), and the import runs the pack used.
 */
import { percentOf, reasonText, type CoverageGapInterval, type ScopeCoverage } from "../coverage-from-ledger.js";
import type { CoverageItem, ImportSummary, PackAuditCoverage, PackData } from "../pack-data.js";
import type { PageWriter } from "./page-writer.js";
import { drawTable, type Cell } from "./draw-table.js";
import { COLORS, SIZES, VERDICT_COLORS } from "./pdf-style.js";
import { formatCount } from "./format-count.js";

/** Most import runs listed; the rest are counted in a note (they are all in evidence.xlsx). */
export const MAX_IMPORT_ROWS = 500;
/** Most ledger scopes listed (all are in evidence.xlsx sheet CoverageScopes). */
export const MAX_SCOPE_ROWS = 200;
/** Most gaps listed (all are in evidence.xlsx sheet CoverageGaps). */
export const MAX_GAP_ROWS = 50;

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

  await drawLedger(w, data.auditCoverage);

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

const SOURCE_TEXT: Record<string, string> = {
  "audit-list-events": "Audit ListEvents",
  "logging-search": "Logging Search _Audit",
};

function scopeCell(s: { source: string; region: string; scopeId: string }): Cell {
  return { parts: [{ text: s.scopeId }, { text: `${SOURCE_TEXT[s.source] ?? s.source}, ${s.region}`, muted: true }] };
}

function* scopeRows(scopes: readonly ScopeCoverage[]): Generator<Cell[]> {
  for (const s of scopes.slice(0, MAX_SCOPE_ROWS)) {
    const complete = s.collectedMinutes === s.requiredMinutes;
    yield [
      scopeCell(s),
      `${s.start} to ${s.end}`,
      { parts: [{ text: percentOf(s.collectedMinutes, s.requiredMinutes), bold: true, color: complete ? undefined : COLORS.muted }, { text: `${formatCount(s.collectedMinutes)} of ${formatCount(s.requiredMinutes)} min` }] },
      s.failedWindows === 0
        ? "none"
        : { parts: [{ text: `${formatCount(s.failedWindows)} (${formatCount(s.failedMinutes)} min)`, bold: true }, { text: s.reasons.map(reasonText).join(", ") }] },
      formatCount(s.notCollectedMinutes),
      formatCount(s.recoveredWindows),
    ];
  }
}

function* gapRows(gaps: readonly CoverageGapInterval[]): Generator<Cell[]> {
  for (const g of gaps.slice(0, MAX_GAP_ROWS)) {
    yield [
      scopeCell(g),
      g.start,
      g.end,
      formatCount(g.minutes),
      g.status === "failed"
        ? { parts: [{ text: "failed", bold: true }, { text: g.reasons.map(reasonText).join(", ") }] }
        : { parts: [{ text: "not collected", bold: true }, { text: "no window read", muted: true }] },
      g.detail ?? "—",
    ];
  }
}

/** The coverage ledger: scopes with their required interval and collected share, then the gaps. */
async function drawLedger(w: PageWriter, cov: PackAuditCoverage): Promise<void> {
  w.heading("Audit event collection (coverage ledger)", { keepWithNext: 80 });
  if (!cov.ledger) {
    w.paragraph(
      "No coverage ledger exists for this period: the audit events came from export files (or nowhere), which do not " +
        "record which compartments and minutes they cover. Completeness of the period is therefore not established.",
    );
    return;
  }
  const t = cov.totals;
  w.paragraph(
    `${formatCount(t.collectedMinutes)} of ${formatCount(t.requiredMinutes)} required minutes collected (${percentOf(t.collectedMinutes, t.requiredMinutes)}) ` +
      `over ${formatCount(t.scopes)} scope(s); ${formatCount(t.failedMinutes)} min failed in ${formatCount(t.failedWindows)} window(s), ` +
      `${formatCount(t.notCollectedMinutes)} min never collected, ${formatCount(t.recoveredWindows)} failed window(s) recovered by a later re-read. ` +
      `ListEvents selects by processing time, so a compartment must be collected up to ${cov.lookbackMinutes} min past the period end ` +
      "(events of the period processed after it ended); Logging Search selects by event time. Required scopes are the " +
      "compartments keyproof has a checkpoint or a ledger row for: a compartment never configured for ingestion is unknown " +
      "to keyproof and is not covered by this statement. Overlapping re-reads count once.",
  );
  await drawTable(
    w,
    [
      { header: "Scope", weight: 27 },
      { header: "Required (UTC, end exclusive)", weight: 21 },
      { header: "Collected", weight: 13 },
      { header: "Failed windows", weight: 18 },
      { header: "Not collected (min)", weight: 10, align: "right" },
      { header: "Recovered", weight: 11, align: "right" },
    ],
    scopeRows(cov.scopes),
    { size: SIZES.tableSmall, caption: "Audit event collection by scope" },
  );
  if (cov.scopes.length > MAX_SCOPE_ROWS) {
    w.note(`${formatCount(cov.scopes.length - MAX_SCOPE_ROWS)} more scopes in evidence.xlsx sheet CoverageScopes.`);
  }
  const gaps = cov.scopes.flatMap((s) => s.gaps);
  w.heading("Coverage gaps", { keepWithNext: 60 });
  if (gaps.length === 0) {
    w.paragraph("No gap: every required minute of every scope was collected.");
    return;
  }
  w.paragraph(
    `${formatCount(gaps.length)} interval(s) of the required minutes are not collected. Audit events of these intervals may ` +
      "exist in OCI and are missing from this pack: counts and timelines do not cover them.",
  );
  await drawTable(
    w,
    [
      { header: "Scope", weight: 26 },
      { header: "From (UTC)", weight: 15 },
      { header: "To (UTC, excl.)", weight: 15 },
      { header: "Minutes", weight: 8, align: "right" },
      { header: "Status / reason", weight: 16 },
      { header: "Last detail", weight: 20 },
    ],
    gapRows(gaps),
    { size: SIZES.tableSmall, caption: "Coverage gaps" },
  );
  if (gaps.length > MAX_GAP_ROWS) {
    w.note(`${formatCount(gaps.length - MAX_GAP_ROWS)} more gaps in evidence.xlsx sheet CoverageGaps (every ledger row is in CoverageWindows).`);
  }
}
