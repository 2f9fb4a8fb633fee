/**
 * `keyproof rotate --dry-run`: the plan as a table readable in 120 columns (key name, the end of
 * the key OCID, vault, strategy, age in days, due date in UTC, status, action, resources to
 * re-key), then the items that cannot be rotated with why, the resources that are not eligible,
 * and the findings. Names are untrusted text: control characters are replaced and long names cut
 * with an ellipsis. `--json` uses {@link planToJson}; both count the same not-eligible list.
 */
import stringWidth from "string-width";
import type { Inventory } from "./inventory.js";
import { fitCell, safeText } from "./fit-cell.js";
import { isRekeyAction, notEligibleResources } from "./plan-to-json.js";
import { PLAN_ACTIONS, type PlanItem, type RotationPlan } from "./rotation-plan.js";
import { describeResource } from "./resource-kinds.js";

export { planToJson, type PlanJson } from "./plan-to-json.js";

/** The page width the table is laid out for. */
export const TABLE_WIDTH = 120;

interface Column {
  title: string;
  width: number;
  align?: "right";
  value(item: PlanItem): string;
}

/** Characters of an OCID's end the table shows: enough to tell apart keys with the same name. */
export const OCID_TAIL = 12;

/** `…` and the last {@link OCID_TAIL} characters of `ocid` (control characters made safe), or all of it when that is no longer. */
export function shortOcid(ocid: string): string {
  const safe = [...safeText(ocid)];
  return safe.length <= OCID_TAIL + 1 ? safe.join("") : `…${safe.slice(-OCID_TAIL).join("")}`;
}

// 20+13+12+20+4+10+13+6+6 = 104 columns of cells + 8 gaps of 2 = 120.
const COLUMNS: Column[] = [
  { title: "KEY", width: 20, value: (i) => i.keyName },
  { title: "KEY OCID", width: OCID_TAIL + 1, value: (i) => shortOcid(i.keyId) },
  { title: "VAULT", width: 12, value: (i) => i.vaultName },
  { title: "STRATEGY", width: 20, value: (i) => i.strategy },
  { title: "AGE", width: 4, align: "right", value: (i) => (i.currentVersionCreated ? String(i.currentVersionAgeDays) : "—") },
  { title: "DUE (UTC)", width: 10, value: (i) => (i.dueAt ? i.dueAt.slice(0, 10) : "—") },
  { title: "STATUS", width: 13, value: (i) => i.status },
  { title: "ACTION", width: 6, value: (i) => i.action },
  // Resources the action re-keys (ReencryptBucket or a move to the successor); "—" for none.
  { title: "RE-KEY", width: 6, align: "right", value: (i) => String(i.resources.filter(isRekeyAction).length).replace(/^0$/, "—") },
];

function row(cells: string[]): string {
  return cells.join("  ").trimEnd();
}

/** Word-wraps `text` (made safe) to TABLE_WIDTH with `indent` before the first line and `hang` before the others. */
function wrap(text: string, indent: string, hang: string): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of safeText(text).split(/ +/)) {
    const candidate = line.trim() === "" ? `${line}${word}` : `${line} ${word}`;
    if (stringWidth(candidate) > TABLE_WIDTH && line.trim() !== "") {
      lines.push(line);
      line = `${hang}${word}`;
    } else {
      line = candidate;
    }
  }
  lines.push(line);
  return lines;
}

/**
 * The dry-run text: a header line with the instant and counts, the table (one row per plan item,
 * in plan order), then "Cannot rotate", "Not eligible" and "Findings" sections when non-empty.
 * Every table line is at most {@link TABLE_WIDTH} display columns; section lines wrap at it.
 */
export function formatPlanTable(plan: RotationPlan, inventory: Inventory): string {
  const out: string[] = [];
  const counts = PLAN_ACTIONS.map((a) => `${plan.items.filter((i) => i.action === a).length} ${a}`).join(", ");
  const rekeyed = plan.items.reduce((n, i) => n + i.resources.filter(isRekeyAction).length, 0);
  out.push(`Rotation plan as of ${plan.asOf} (inventory read ${inventory.observedAt})`);
  out.push(`${plan.items.length} key${plan.items.length === 1 ? "" : "s"}: ${counts}; ${rekeyed} resource${rekeyed === 1 ? "" : "s"} to re-key`);
  out.push("");
  if (plan.items.length === 0) {
    out.push("No keys in scope.");
  } else {
    out.push(row(COLUMNS.map((c) => fitCell(c.title, c.width, c.align))));
    out.push(row(COLUMNS.map((c) => "─".repeat(c.width))));
    for (const item of plan.items) out.push(row(COLUMNS.map((c) => fitCell(c.value(item), c.width, c.align))));
  }

  const skipped = plan.items.filter((i) => i.action === "skip");
  if (skipped.length > 0) {
    out.push("", `Cannot rotate (${skipped.length}):`);
    for (const item of skipped) out.push(...wrap(`${item.keyName}: ${item.reason}`, "  ", "    "));
  }
  const notEligible = notEligibleResources(plan);
  if (notEligible.length > 0) {
    out.push("", `Not eligible (${notEligible.length}):`);
    for (const r of notEligible) {
      // Most reasons are findings that already name the resource; do not say it twice.
      const name = describeResource(r.resource);
      const reason = r.reason ?? "not eligible";
      out.push(...wrap(reason.startsWith(name) ? reason : `${name}: ${reason}`, "  ", "    "));
    }
  }
  if (inventory.findings.length > 0) {
    out.push("", `Findings (${inventory.findings.length}):`);
    for (const f of inventory.findings) out.push(...wrap(`${f.severity.toUpperCase()} ${f.code}: ${f.message}`, "  ", "    "));
  }
  return `${out.join("\n")}\n`;
}
