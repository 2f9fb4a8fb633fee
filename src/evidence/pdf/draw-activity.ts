/**
 * Part of section 1 of `summary.pdf`: what happened in the period, by event type, principal and
 * compartment, so an auditor sees who did what before reading the timelines. The tables show the
 * largest groups; when there are more, a note says how many and where the rest is.
 */
import type { ActivityRow, PackAuditCoverage, PackData } from "../pack-data.js";
import type { PageWriter } from "./page-writer.js";
import { drawTable } from "./draw-table.js";
import { formatCount } from "./format-count.js";
import { SIZES } from "./pdf-style.js";

/** True when the ledger shows every required minute collected: only then may "no events" mean none happened. */
function complete(cov: PackAuditCoverage): boolean {
  return cov.ledger && cov.totals.collectedMinutes === cov.totals.requiredMinutes;
}

/** What an empty table means, given the coverage ledger. */
function emptyText(cov: PackAuditCoverage): string {
  if (!cov.ledger) return "No audit event of this period is in the archive (a coverage gap, not evidence of no activity: see section 5).";
  if (complete(cov)) return "No audit event of this period: every required minute of every collected compartment was read (see section 5).";
  const t = cov.totals;
  return (
    `No audit event of this period is in the archive, and ${formatCount(t.failedMinutes + t.notCollectedMinutes)} of ` +
    `${formatCount(t.requiredMinutes)} required minutes were not collected (see section 5): a coverage gap, not evidence of no activity.`
  );
}

async function drawActivityTable(w: PageWriter, title: string, rows: ActivityRow[], distinct: number, withId: boolean, cov: PackAuditCoverage): Promise<void> {
  w.heading(title, { keepWithNext: 60, bookmark: false });
  if (rows.length === 0) {
    w.paragraph(emptyText(cov));
    return;
  }
  await drawTable(
    w,
    withId
      ? [
          { header: "Name", weight: 34 },
          { header: "OCID", weight: 52 },
          { header: "Events", weight: 14, align: "right" },
        ]
      : [
          { header: "Event type", weight: 86 },
          { header: "Events", weight: 14, align: "right" },
        ],
    rows.map((r) => (withId ? [r.name, r.id ?? "—", formatCount(r.count)] : [r.name, formatCount(r.count)])),
    { size: SIZES.table },
  );
  if (distinct > rows.length) {
    w.note(`${formatCount(distinct - rows.length)} more (${formatCount(distinct)} in all) are in evidence.xlsx sheet Events.`);
  }
}

/** Event types, principals and compartments of the period with their event counts. */
export async function drawActivity(w: PageWriter, data: PackData): Promise<void> {
  const a = data.activity;
  const cov = data.auditCoverage;
  if (cov.ledger && !complete(cov) && data.counts.events > 0) {
    // Counts drawn without this would read as the whole period's activity.
    const t = cov.totals;
    w.note(
      `Incomplete: ${formatCount(t.failedMinutes + t.notCollectedMinutes)} of ${formatCount(t.requiredMinutes)} required minutes of audit ` +
        `events were not collected (${formatCount(t.failedWindows)} failed window(s), see section 5). The counts below cover the collected minutes only; the true counts may be higher.`,
    );
  }
  await drawActivityTable(w, "Events by type", a.eventTypes, a.distinct.eventTypes, false, cov);
  await drawActivityTable(w, "Events by principal", a.principals, a.distinct.principals, true, cov);
  await drawActivityTable(w, "Events by compartment", a.compartments, a.distinct.compartments, true, cov);
}
