/**
 * Part of section 1 of `summary.pdf`: what happened in the period, by event type, principal and
 * compartment, so an auditor sees who did what before reading the timelines. The tables show the
 * largest groups; when there are more, a note says how many and where the rest is.
 */
import type { ActivityRow, PackData } from "../pack-data.js";
import type { PageWriter } from "./page-writer.js";
import { drawTable } from "./draw-table.js";
import { formatCount } from "./format-count.js";
import { SIZES } from "./pdf-style.js";

async function drawActivityTable(w: PageWriter, title: string, rows: ActivityRow[], distinct: number, withId: boolean): Promise<void> {
  w.heading(title, { keepWithNext: 60, bookmark: false });
  if (rows.length === 0) {
    w.paragraph("No audit event of this period is in the archive (a coverage gap, not evidence of no activity: see section 5).");
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
  await drawActivityTable(w, "Events by type", a.eventTypes, a.distinct.eventTypes, false);
  await drawActivityTable(w, "Events by principal", a.principals, a.distinct.principals, true);
  await drawActivityTable(w, "Events by compartment", a.compartments, a.distinct.compartments, true);
}
