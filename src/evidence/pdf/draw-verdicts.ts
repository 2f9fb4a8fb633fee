/**
 * Section 2 of `summary.pdf`: the verdict per control. NO_EVIDENCE is an amber badge with a bar
 * (never green) and always shows its reason (DESIGN §3 rule 7).
 */
import type { ControlVerdict, PackData } from "../pack-data.js";
import type { PageWriter } from "./page-writer.js";
import { drawTable, type Cell } from "./draw-table.js";
import { COLORS, SIZES, VERDICT_COLORS } from "./pdf-style.js";

/** Section 2: one row per control: id, title and requirement, verdict badge, reason. */
export async function drawVerdicts(w: PageWriter, data: PackData): Promise<void> {
  w.section("verdicts", "2  Verdict per control", { keepWithNext: 120 });
  w.paragraph(
    `Each control is judged for the period ${data.period.start} to ${data.period.end} (UTC, end exclusive). ` +
      "NO_EVIDENCE means the evidence a verdict needs was not collected (for example an audit window not ingested, " +
      "or collection throttled or unauthorised); it is never counted as compliant.",
  );
  if (data.verdicts.length === 0) {
    w.note("No control verdicts were computed for this pack.");
    return;
  }
  await drawTable(
    w,
    [
      { header: "Control", weight: 17 },
      { header: "Title and what keyproof checks", weight: 33 },
      { header: "Verdict", weight: 17 },
      { header: "Reason", weight: 33 },
    ],
    data.verdicts.map(verdictRow),
  );
}

function verdictRow(v: ControlVerdict): Cell[] {
  return [
    { parts: [{ text: v.controlId, bold: true }] },
    { parts: [{ text: v.title }, { text: v.requirement, muted: true, size: SIZES.tableSmall }] },
    verdictBadge(v.verdict),
    { parts: [{ text: v.reason.length > 0 ? v.reason : "(no reason recorded)", color: v.verdict === "NO_EVIDENCE" ? VERDICT_COLORS.NO_EVIDENCE.text : COLORS.text }] },
  ];
}

/** A verdict as a coloured badge cell (same colours as the cover's tallies). */
function verdictBadge(verdict: ControlVerdict["verdict"]): Cell {
  const colors = VERDICT_COLORS[verdict];
  return { parts: [{ text: verdict, bold: true, color: colors.text }], fill: colors.fill, bar: colors.bar };
}
