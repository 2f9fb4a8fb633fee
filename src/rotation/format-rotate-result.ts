/**
 * What `keyproof rotate` prints after a real run (pure): one line per key, then the summary line,
 * and `--json` as plain data. Names are untrusted text: control characters are replaced.
 */
import { safeText } from "./fit-cell.js";
import type { KeyRotationOutcome, RotationRunResult } from "./rotation-run-result.js";

const LABEL: Record<KeyRotationOutcome["status"], string> = {
  rotated: "ROTATED", rekeyed: "REKEYED", partial: "PARTIAL", failed: "FAILED", verified: "VERIFIED", "not-due": "NOT DUE", skipped: "SKIPPED",
};

function resourcesText(key: KeyRotationOutcome): string {
  const rekeyed = key.resources.filter((r) => r.status !== "not-eligible");
  if (rekeyed.length === 0) return "";
  const count = (s: string) => rekeyed.filter((r) => r.status === s).length;
  const parts = [`${count("succeeded") + count("skipped")}/${rekeyed.length} re-keyed`];
  if (count("in-progress")) parts.push(`${count("in-progress")} in progress`);
  if (count("failed")) parts.push(`${count("failed")} failed`);
  const problems = rekeyed
    .filter((r) => r.status === "failed" || r.status === "in-progress")
    .map((r) => `${r.kind} "${safeText(r.displayName)}": ${safeText(r.error?.message ?? r.detail ?? r.status)}`);
  return `${parts.join(", ")}${problems.length ? ` (${problems.join("; ")})` : ""}`;
}

/** `ROTATED  backup-objects-key  key-version  new version ocid1...  2/2 re-keyed`. */
export function formatKeyLine(key: KeyRotationOutcome): string {
  const made = key.newKeyVersionId ? `version ${key.newKeyVersionId}` : key.successorKeyId ? `successor ${key.successorKeyId}` : "";
  const fields = [LABEL[key.status].padEnd(8), safeText(key.keyName), key.strategy];
  if (key.status === "rotated" || key.status === "rekeyed" || key.status === "partial") {
    fields.push(made, resourcesText(key));
  } else {
    fields.push(safeText(key.error?.message ?? key.reason ?? ""));
  }
  return fields.filter(Boolean).join("  ");
}

/** The last line: `run 12 partial: 1 rotated, ...; re-keys ...; 3 findings`. */
export function formatRunSummary(result: RotationRunResult): string {
  const keys = (s: KeyRotationOutcome["status"]) => result.keys.filter((k) => k.status === s).length;
  const resources = result.keys.flatMap((k) => k.resources);
  const res = (s: string) => resources.filter((r) => r.status === s).length;
  return (
    `run ${result.runId} ${result.status}: ${keys("rotated")} rotated, ${keys("rekeyed")} re-keyed, ${keys("partial")} partial, ` +
    `${keys("failed")} failed, ${keys("not-due")} not due, ${keys("skipped")} skipped, ${keys("verified")} verified; ` +
    `re-keys ${res("succeeded")} succeeded, ${res("failed")} failed, ${res("in-progress")} in progress, ${res("not-eligible")} not eligible; ` +
    `${result.findings.length} finding${result.findings.length === 1 ? "" : "s"}` +
    (result.error ? `; error: ${safeText(result.error.message)}` : "")
  );
}

/** Every key line and the summary, newline-terminated. */
export function formatRotateResult(result: RotationRunResult): string {
  return `${[...result.keys.map(formatKeyLine), formatRunSummary(result)].join("\n")}\n`;
}

/** The `--json` form: the run result without the inventory. */
export function rotateResultToJson(result: RotationRunResult): RotationRunResult {
  const { runId, status, trigger, dryRun, startedAt, finishedAt, keys, findings, error } = result;
  return { runId, status, trigger, dryRun, startedAt, finishedAt, keys, findings, error };
}
