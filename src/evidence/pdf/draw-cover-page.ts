/**
 * Page 1 of `summary.pdf`: what the pack is, the month and period in UTC, tenancies, when and by
 * which version it was generated, where the fingerprint is, verdicts at a glance and contents.
 */
import type { PackData, Verdict } from "../pack-data.js";
import type { PageWriter } from "./page-writer.js";
import { COLORS, PAGE, SIZES, VERDICT_COLORS } from "./pdf-style.js";
import { lineHeight, type TextStyle } from "./text-layout.js";
import { formatCount } from "./format-count.js";

/** A section listed in the contents, with the page it starts on (null while measuring). */
export interface ContentsEntry {
  id: string;
  title: string;
  page: number | null;
}

const VERDICT_ORDER: readonly Verdict[] = ["COMPLIANT", "NON_COMPLIANT", "NO_EVIDENCE", "NOT_APPLICABLE"];

/** Draws the cover on a fresh page; the next section starts on a new page. */
export function drawCoverPage(w: PageWriter, data: PackData, contents: readonly ContentsEntry[]): void {
  w.newPage();
  w.doc.rect(0, 0, PAGE.width, 8).fill(COLORS.heading);
  w.y = 120;
  w.text("keyproof evidence pack", { face: "bold", size: SIZES.title, color: COLORS.heading });
  w.text(`OCI Vault key rotation evidence for ${data.month}`, { face: "regular", size: SIZES.subtitle, color: COLORS.muted }, { spaceAfter: 22 });

  field(w, "Month", data.month);
  field(w, "Period", `${data.period.start} to ${data.period.end} (UTC, end exclusive)`);
  field(w, "Tenancies", data.tenancies.length > 0 ? data.tenancies.join("\n") : "none seen in the period's events");
  field(w, "Generated at", `${data.generatedAt} (UTC)`);
  field(w, "Tool version", `keyproof ${data.toolVersion}`);
  field(w, "Pack fingerprint", "SHA-256 of manifest.json (printed by keyproof report; manifest.json lists the SHA-256 of every other file). Not signed in this version.");
  field(
    w,
    "Policy in effect",
    `key version cryptoperiod ${data.policy.rotationIntervalDays} days; re-key within ${data.policy.rekeyWithinHours} hours of a rotation; ` +
      `superseded versions retained ${data.policy.retentionDays} days; scope tag ${data.policy.scopeTag}`,
  );
  w.y += 16;

  w.heading("Verdicts at a glance", { keepWithNext: 30 });
  drawTallies(w, data);
  w.y += 16;

  w.heading("Contents", { keepWithNext: 60 });
  const style: TextStyle = { face: "regular", size: SIZES.body, color: COLORS.text };
  for (const entry of contents) {
    const lh = lineHeight(style.size);
    w.layout.draw(w.layout.layout(entry.title, style, w.width - 60), w.left, w.y, style.size);
    const page = entry.page === null ? "" : `page ${entry.page}`;
    w.layout.draw(w.layout.layout(page, { ...style, color: COLORS.muted }, 60), w.left + w.width - 60, w.y, style.size, "right", 60);
    w.y += lh + 2;
  }
  w.y += 16;
  w.paragraph(
    "All times are UTC, written as ISO-8601 with milliseconds. Names, ids and details are shown as recorded in the " +
      "audit events (untrusted text, drawn as plain text). A character that cannot be displayed, and any control or " +
      "invisible formatting character, is shown as its code point, e.g. [U+1F511].",
    { color: COLORS.muted, size: SIZES.table },
  );
}

/** A label/value line pair: label in a 105 pt column, value wrapped beside it (one line per "\n"). */
function field(w: PageWriter, label: string, value: string): void {
  const labelWidth = 105;
  const size = SIZES.body + 1;
  const valueStyle: TextStyle = { face: "regular", size, color: COLORS.text };
  const lines = value.split("\n").flatMap((v) => w.layout.layout(v, valueStyle, w.width - labelWidth));
  w.ensureSpace(w.layout.height(lines, size));
  w.layout.draw(w.layout.layout(label, { face: "bold", size, color: COLORS.muted }, labelWidth - 6), w.left, w.y, size);
  w.layout.draw(lines, w.left + labelWidth, w.y, size);
  w.y += w.layout.height(lines, size) + 5;
}

function drawTallies(w: PageWriter, data: PackData): void {
  const size = SIZES.body;
  let x = w.left;
  const h = lineHeight(size) + 8;
  for (const verdict of VERDICT_ORDER) {
    const n = data.verdicts.filter((v) => v.verdict === verdict).length;
    const colors = VERDICT_COLORS[verdict];
    const label = `${formatCount(n)} ${verdict}`;
    const lines = w.layout.layout(label, { face: "bold", size, color: colors.text }, w.width);
    const boxWidth = (lines[0]?.width ?? 0) + 16;
    w.doc.rect(x, w.y, boxWidth, h).fill(colors.fill);
    if (colors.bar) w.doc.rect(x, w.y, 2.5, h).fill(colors.bar);
    w.layout.draw(lines, x + 8, w.y + 4, size);
    x += boxWidth + 8;
  }
  w.y += h + 4;
  if (data.verdicts.length === 0) w.paragraph("No control verdicts were computed for this pack.", { color: COLORS.muted });
}
