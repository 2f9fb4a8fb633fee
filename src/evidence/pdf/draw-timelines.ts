/**
 * Sections 3 and 4 of `summary.pdf`: per-key then per-resource timelines. Each subject gets a
 * heading (kind, display name, id, compartment) and a table of its first entries (time UTC, action,
 * actor, outcome, evidence event id); what the caps leave out is stated with its XLSX sheet.
 */
import type { EntryOutcome, SubjectKind, Timeline, TimelineEntry } from "../../timeline/timeline.js";
import type { PageWriter } from "./page-writer.js";
import type { SubjectDetail, TimelineDetailPlan } from "./plan-timeline-detail.js";
import { drawTable, type Cell, type TableColumn } from "./draw-table.js";
import { COLORS, SIZES } from "./pdf-style.js";
import { formatCount, plural } from "./format-count.js";
import { lineHeight } from "./text-layout.js";
import { shortenOcids } from "./shorten-ocids.js";

const KIND_LABEL: Record<SubjectKind, string> = { key: "Key", volume: "Volume", "boot-volume": "Boot volume", bucket: "Bucket" };

const OUTCOME_COLOR: Record<EntryOutcome, string> = {
  succeeded: "#1e6b35",
  accepted: "#8a4b00",
  failed: "#a11d1d",
  unknown: COLORS.muted,
};

const COLUMNS: readonly TableColumn[] = [
  { header: "Time (UTC)", weight: 23 },
  { header: "Action", weight: 28 },
  { header: "Actor", weight: 17 },
  { header: "Outcome", weight: 11 },
  { header: "Evidence event id", weight: 21 },
];

/** Section 3 (keys, from a new page) or 4 (resources). */
export async function drawTimelines(w: PageWriter, plan: TimelineDetailPlan, group: "key" | "resource"): Promise<void> {
  const subjects = group === "key" ? plan.keys : plan.resources;
  if (group === "key") {
    w.section("key-timelines", "3  Key timelines", { newPage: true });
    w.paragraph(
      "One timeline per master encryption key, correlated from the audit events of the period. A volume-key " +
        "lineage (predecessor → successor key) appears on each key of the chain. Every entry names the audit event " +
        "that proves it; an outcome of \"accepted\" means OCI took the request but the record alone does not prove it finished. " +
        "OCIDs in the Action column are shortened to their type and last 10 characters (ocid1.key…4n3avp3xuq); full ids are in the subject headings and in evidence.xlsx.",
    );
    if (plan.omittedTotal > 0) w.note(capSummary(plan));
  } else {
    w.section("resource-timelines", "4  Resource timelines", { newPage: true });
    w.paragraph(
      "One timeline per bucket, volume and boot volume named in the period's key-related audit events. Scope tags are " +
        "not evaluated in this version, so resources outside the backup scope can appear.",
    );
  }
  if (subjects.length === 0) {
    w.paragraph(
      `No ${group === "key" ? "key lifecycle" : "resource re-key"} event of this period is in the archive. ` +
        "This is not evidence that nothing happened: see section 5 for what was collected.",
      { color: COLORS.muted },
    );
    return;
  }
  for (const subject of subjects) {
    await drawSubject(w, subject);
    await w.flush();
  }
}

async function drawSubject(w: PageWriter, s: SubjectDetail): Promise<void> {
  const t = s.timeline;
  const name = t.displayName ?? "(no display name recorded)";
  // Keep the heading, its facts and the table header with at least two rows.
  const title = `${KIND_LABEL[t.subjectKind]} · ${name}`;
  w.heading(title, { keepWithNext: 95, bookmark: true });
  const compartment = t.compartmentName
    ? `${t.compartmentName} (${t.compartmentId ?? "id not recorded"})`
    : (t.compartmentId ?? "not recorded");
  const pairs: [string, string][] = [
    ["Kind", t.subjectKind],
    ["Id", t.subjectId],
    ["Compartment", compartment],
  ];
  if (t.predecessorKeyId) pairs.push(["Predecessor", `${t.predecessorKeyId} (volume key lineage)`]);
  if (t.successorKeyIds.length > 0) pairs.push(["Successors", t.successorKeyIds.join(", ")]);
  const count = formatCount(t.entries.length);
  pairs.push(["Entries", s.omitted > 0 ? `${count} in the period; the first ${formatCount(s.shown)} are shown` : `${count} in the period`]);
  facts(w, pairs);
  if (t.entries.length === 0) {
    w.paragraph("No entries for this subject in the period.", { color: COLORS.muted, size: SIZES.table });
    return;
  }
  if (s.shown > 0) await drawTable(w, COLUMNS, entryRows(t, s.shown), { caption: `${title} · ${shortenOcids(t.subjectId)}` });
  if (s.omitted > 0) {
    w.note(`${plural(s.omitted, "more entry", "more entries")} in evidence.xlsx sheet ${s.sheet} (subject ${t.subjectId}).`);
  }
}

function* entryRows(t: Timeline, shown: number): Generator<Cell[]> {
  for (let i = 0; i < shown; i++) {
    const e = t.entries[i];
    if (e) yield entryRow(e, t.subjectId);
  }
}

function entryRow(e: TimelineEntry, subjectId: string): Cell[] {
  const small = SIZES.tableSmall;
  const action: Cell = { parts: [{ text: e.action, bold: true }] };
  const more = (text: string) => action.parts.push({ text: shortenOcids(text), muted: true, size: small });
  if (e.detail) more(e.detail);
  if (e.resourceId && e.resourceId !== subjectId) more(`resource ${e.resourceId}`);
  if (e.keyId && e.keyId !== subjectId) more(`${e.action === "key.successor-created" ? "successor" : e.action.endsWith("kms-key-updated") ? "new key" : "key"} ${e.keyId}`);
  if (e.previousKeyId && e.previousKeyId !== subjectId) more(`${e.action === "key.created" ? "predecessor" : "previous key"} ${e.previousKeyId}`);
  if (e.keyVersionId) more(`key version ${e.keyVersionId}`);
  if (e.workRequestId) more(`work request ${e.workRequestId}`);
  if (e.timeOfDeletion) {
    more(e.action.endsWith("deletion-cancelled") ? `cancels the deletion that was scheduled for ${e.timeOfDeletion}` : `deletion scheduled for ${e.timeOfDeletion}`);
  }
  const outcome: Cell = { parts: [{ text: e.outcome, color: OUTCOME_COLOR[e.outcome] }] };
  if (e.responseStatus) outcome.parts.push({ text: `HTTP ${e.responseStatus}`, muted: true, size: small });
  if (e.verifiedBy) outcome.parts.push({ text: `verified by read-back ${e.verifiedBy.eventId}`, muted: true, size: small });
  const evidence: Cell = { parts: [{ text: e.eventId }, { text: e.eventType, muted: true, size: small }] };
  return [e.time, action, e.actor ?? "(not recorded)", outcome, evidence];
}

/** Label/value lines under a subject heading, at table size. */
function facts(w: PageWriter, pairs: readonly [string, string][]): void {
  const size = SIZES.table;
  const labelWidth = 62;
  for (const [label, value] of pairs) {
    const lines = w.layout.layout(value, { face: "regular", size, color: COLORS.text }, w.width - labelWidth);
    w.ensureSpace(w.layout.height(lines, size));
    w.layout.draw(w.layout.layout(label, { face: "bold", size, color: COLORS.muted }, labelWidth), w.left, w.y, size);
    w.layout.draw(lines, w.left + labelWidth, w.y, size);
    w.y += w.layout.height(lines, size);
  }
  w.y += lineHeight(size) / 2;
}

function capSummary(plan: TimelineDetailPlan): string {
  const where = Object.entries(plan.omittedBySheet)
    .map(([sheet, n]) => `${formatCount(n)} in sheet ${sheet}`)
    .join(" and ");
  return (
    `This PDF shows at most ${formatCount(plan.limits.maxEntriesPerSubject)} entries per subject and ` +
    `${formatCount(plan.limits.maxTotalEntries)} in total: ${formatCount(plan.shownTotal)} of ` +
    `${formatCount(plan.shownTotal + plan.omittedTotal)} timeline entries are shown. Every entry is in evidence.xlsx ` +
    `(${formatCount(plan.omittedTotal)} not shown here: ${where}); each subject below says how many of its entries are not shown.`
  );
}
