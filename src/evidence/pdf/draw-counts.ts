/**
 * Section 1 of `summary.pdf`: the pack's counts, and a note when stored records conflict.
 */
import type { PackData } from "../pack-data.js";
import type { PageWriter } from "./page-writer.js";
import { drawTable } from "./draw-table.js";
import { SIZES } from "./pdf-style.js";
import { formatCount } from "./format-count.js";
import { drawActivity } from "./draw-activity.js";

/** Section 1: counts of the period's evidence. */
export async function drawCounts(w: PageWriter, data: PackData): Promise<void> {
  w.section("counts", "1  Counts and activity", { newPage: true });
  w.paragraph("What this pack is built from: the audit events of the period as stored by keyproof, and the timelines correlated from them.");
  const c = data.counts;
  const rows: [string, number][] = [
    ["Audit events in the period", c.events],
    ["Distinct event types", c.eventTypes],
    ["Key timelines", c.keyTimelines],
    ["Resource timelines", c.resourceTimelines],
    ["Timeline entries (keys and resources)", c.timelineEntries],
    ["Conflicting event records (same event id, different content)", c.conflicts],
  ];
  await drawTable(
    w,
    [
      { header: "Measure", weight: 70 },
      { header: "Count", weight: 30, align: "right" },
    ],
    rows.map(([label, n]) => [label, formatCount(n)]),
    { size: SIZES.body },
  );
  if (c.conflicts > 0) {
    w.note(
      `${formatCount(c.conflicts)} stored event record(s) share an event id with a record of different content. ` +
        "Both versions are kept and listed in evidence.xlsx (column Conflict) and events.jsonl.gz. Timelines use the " +
        "first stored version of each event id; compare both in the Events sheet.",
    );
  }
  await drawActivity(w, data);
}
