/**
 * The Summary sheet of evidence.xlsx: label / value rows an auditor reads first (what month, which
 * period in UTC, when and by which version the pack was generated, which tenancies, how much).
 */
import type { PackData } from "../pack-data.js";
import { formatInstant, requireInstant } from "../../time/instant.js";
import type { TableSpec, TypedValue } from "./write-table.js";

export interface SummaryRow {
  label: string;
  value: TypedValue | null;
}

export const SUMMARY_TABLE: TableSpec<SummaryRow> = {
  name: "Summary",
  columns: [
    { header: "Item", width: 34, kind: "text", value: (r) => r.label },
    { header: "Value", width: 100, kind: "typed", wrap: true, value: (r) => r.value },
  ],
};

const text = (value: string): TypedValue => ({ kind: "text", value });
const instant = (value: string): TypedValue => ({ kind: "instant", value });
const count = (value: number): TypedValue => ({ kind: "number", value });

/** Ledger totals (minutes), or one row saying the period has no ledger (events from files only). */
function ledgerRows(data: PackData): SummaryRow[] {
  const a = data.auditCoverage;
  if (!a.ledger) {
    return [{ label: "Audit collection coverage", value: text("no coverage ledger (audit events from files only): completeness of the period is not established") }];
  }
  const t = a.totals;
  return [
    { label: "Audit scopes required", value: count(t.scopes) },
    { label: "Audit minutes required", value: count(t.requiredMinutes) },
    { label: "Audit minutes collected", value: count(t.collectedMinutes) },
    { label: "Audit minutes failed", value: count(t.failedMinutes) },
    { label: "Audit minutes not collected", value: count(t.notCollectedMinutes) },
    { label: "Failed windows (unrecovered)", value: count(t.failedWindows) },
    { label: "Failed windows recovered", value: count(t.recoveredWindows) },
  ];
}

/**
 * The Summary rows for one pack. Labels of time rows end with " (UTC)"; the period end is exclusive,
 * so the last calendar day of the period is given as well.
 * @throws TypeError when `data.period.end` is not an ISO instant.
 */
export function summaryRows(data: PackData): SummaryRow[] {
  const endMs = requireInstant(data.period.end, "period.end").epochMs;
  const lastDay = formatInstant(endMs - 1).slice(0, 10);
  const tenancies: SummaryRow[] =
    data.tenancies.length === 0
      ? [{ label: "Tenancy", value: text("none seen in the period's events") }]
      : data.tenancies.map((ocid) => ({ label: "Tenancy", value: text(ocid) }));
  return [
    { label: "Evidence pack for month", value: text(data.month) },
    { label: "Period start (UTC)", value: instant(data.period.start) },
    { label: "Period end, exclusive (UTC)", value: instant(data.period.end) },
    { label: "Last day of period (UTC)", value: { kind: "date", value: lastDay } },
    { label: "Generated at (UTC)", value: instant(data.generatedAt) },
    { label: "Tool version", value: text(data.toolVersion) },
    { label: "Policy: key version cryptoperiod (days)", value: count(data.policy.rotationIntervalDays) },
    { label: "Policy: re-key within (hours)", value: count(data.policy.rekeyWithinHours) },
    { label: "Policy: superseded version retention (days)", value: count(data.policy.retentionDays) },
    { label: "Policy: scope tag", value: text(data.policy.scopeTag) },
    ...tenancies,
    { label: "Audit events", value: count(data.counts.events) },
    { label: "Event types", value: count(data.counts.eventTypes) },
    { label: "Conflicting events", value: count(data.counts.conflicts) },
    { label: "Key timelines", value: count(data.counts.keyTimelines) },
    { label: "Resource timelines", value: count(data.counts.resourceTimelines) },
    { label: "Timeline entries", value: count(data.counts.timelineEntries) },
    { label: "Controls", value: count(data.verdicts.length) },
    ...ledgerRows(data),
    {
      label: "Times",
      value: text("Every time in this workbook is UTC and is a real date cell (sortable and filterable)."),
    },
    {
      label: "Sheets",
      value: text(
        "Controls (verdict per control), Coverage (evidence collected), CoverageScopes, CoverageGaps and " +
          "CoverageWindows (the coverage ledger: per compartment, the minutes collected, failed and never collected, " +
          "every gap, and every ledger row), KeyTimeline and ResourceTimeline " +
          "(one row per audit event behind each key / resource history), Events (every audit event of the " +
          'period; continues on "Events (2)", "Events (3)"… when a month exceeds one sheet), Imports (ingestion runs), ImportFiles (every input file with the SHA-256 of its bytes).',
      ),
    },
  ];
}
