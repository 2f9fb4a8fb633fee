/**
 * The monthly rotation summary (issue 4 §6): what the month's rotation runs did, for the
 * Notifications topic. Pure: the caller loads the runs.
 */
import { monthPeriod } from "../time/instant.js";
import type { Finding, FindingSeverity } from "./inventory.js";
import { collectRunFailures } from "./build-run-message.js";
import { fitOnsMessage, type OnsMessage } from "./fit-ons-message.js";
import type { RotationRunResult, RunStatus } from "./rotation-run-result.js";

export interface MonthlySummary {
  /** `YYYY-MM` (UTC). */
  month: string;
  /** [start, end) of the month, UTC. */
  period: { start: string; end: string };
  /** Runs started in the month (dry runs excluded), by status. */
  runs: Record<RunStatus, number> & { total: number };
  /** Failures across the month's runs (collectRunFailures). */
  failures: number;
  /** Distinct keys that got a new key version or successor key this month, oldest rotation first. */
  keysRotated: { keyId: string; keyName: string; at: string; newKeyVersionId: string | null; successorKeyId: string | null }[];
  /** Distinct resources re-keyed successfully this month. */
  resourcesRekeyed: number;
  /** Distinct resources whose last re-key outcome this month is failed / still in progress. */
  resourcesFailed: number;
  resourcesInProgress: number;
  /** Findings of the month's last run (its inventory is the latest state known), by severity. */
  openFindings: { total: number; bySeverity: Record<FindingSeverity, number>; items: Finding[] };
  /** finishedAt of the month's last run; null when there was none. */
  lastRunAt: string | null;
}

const SEVERITIES: readonly FindingSeverity[] = ["critical", "high", "medium", "low"];

/**
 * Summarises the runs of `month` (`YYYY-MM`, UTC) from `runs` (any order; runs outside the month
 * and dry runs are ignored). Per resource the latest outcome in the month counts, so a bucket
 * that failed on the 3rd and was re-keyed on the 4th counts as re-keyed.
 * @throws TypeError on a malformed month.
 */
export function buildMonthlySummary(month: string, runs: readonly RotationRunResult[]): MonthlySummary {
  const period = monthPeriod(month);
  const inMonth = runs
    .filter((r) => !r.dryRun && r.startedAt >= period.start && r.startedAt < period.end)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId - b.runId);
  const byStatus: Record<RunStatus, number> = { succeeded: 0, partial: 0, failed: 0, skipped: 0 };
  for (const run of inMonth) byStatus[run.status] += 1;

  const rotated = new Map<string, MonthlySummary["keysRotated"][number]>();
  const lastOutcome = new Map<string, string>();
  for (const run of inMonth) {
    for (const key of run.keys) {
      if (key.createdThisRun && !rotated.has(key.keyId)) {
        rotated.set(key.keyId, { keyId: key.keyId, keyName: key.keyName, at: run.finishedAt, newKeyVersionId: key.newKeyVersionId, successorKeyId: key.successorKeyId });
      }
      for (const resource of key.resources) {
        if (resource.status === "succeeded" || resource.status === "failed" || resource.status === "in-progress") lastOutcome.set(resource.resourceId, resource.status);
      }
    }
  }
  const rekeyed = new Set<string>();
  for (const run of inMonth) for (const key of run.keys) for (const r of key.resources) if (r.status === "succeeded") rekeyed.add(r.resourceId);
  const outcomes = [...lastOutcome.values()];

  const last = inMonth.at(-1);
  const findings = last?.findings ?? [];
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length])) as Record<FindingSeverity, number>;
  return {
    month, period,
    runs: { ...byStatus, total: inMonth.length },
    failures: inMonth.reduce((n, run) => n + collectRunFailures(run).length, 0),
    keysRotated: [...rotated.values()],
    resourcesRekeyed: rekeyed.size,
    resourcesFailed: outcomes.filter((s) => s === "failed").length,
    resourcesInProgress: outcomes.filter((s) => s === "in-progress").length,
    openFindings: { total: findings.length, bySeverity, items: [...findings] },
    lastRunAt: last?.finishedAt ?? null,
  };
}

/** The summary as a RAW_TEXT Notifications message (≤ 64 KB, secrets redacted). */
export function buildMonthlySummaryMessage(summary: MonthlySummary): OnsMessage {
  const r = summary.runs;
  const title = `keyproof rotation summary ${summary.month}: ${summary.keysRotated.length} key${summary.keysRotated.length === 1 ? "" : "s"} rotated, ${r.failed + r.partial} run${r.failed + r.partial === 1 ? "" : "s"} with problems`;
  const f = summary.openFindings;
  const lines = [
    `keyproof rotation summary for ${summary.month} (${summary.period.start} to ${summary.period.end}, UTC).`,
    "",
    `Runs: ${r.total} (${r.succeeded} succeeded, ${r.partial} partial, ${r.failed} failed, ${r.skipped} skipped); ${summary.failures} failure${summary.failures === 1 ? "" : "s"} recorded.`,
    `Keys rotated: ${summary.keysRotated.length}.`,
    `Resources re-keyed: ${summary.resourcesRekeyed}; last outcome failed: ${summary.resourcesFailed}; still in progress: ${summary.resourcesInProgress}.`,
    `Open findings: ${f.total} (${SEVERITIES.map((s) => `${f.bySeverity[s]} ${s}`).join(", ")}).`,
    `Last run: ${summary.lastRunAt ?? "none this month"}.`,
  ];
  if (summary.keysRotated.length) {
    lines.push("", "Rotated keys:");
    for (const k of summary.keysRotated) {
      lines.push(`- ${k.keyName} (${k.keyId}) at ${k.at}: ${k.successorKeyId ? `successor key ${k.successorKeyId}` : `new version ${k.newKeyVersionId ?? "unknown"}`}`);
    }
  }
  if (f.items.length) {
    lines.push("", "Open findings:");
    for (const item of f.items) lines.push(`- [${item.severity}] ${item.code}: ${item.message}`);
  }
  return fitOnsMessage(title, lines.join("\n"), (shown, total) => `[truncated: ${shown} of ${total} bytes shown (Notifications allows 64 KB); the month's runs are in the keyproof store]`);
}
