/**
 * The Notifications message keyproof sends after a rotation run that needs an alert (issue 4 §6):
 * what failed, on which key and resource, the error, the `opc-request-id` to give Oracle support,
 * overdue keys that were only skipped or verified, the high and critical findings, and the run id
 * to find the full record. Pure: plain text (RAW_TEXT), ≤ 64 KB, no secrets, and every name or
 * error text from the tenancy kept on its own line (singleLine).
 */
import type { FindingSeverity } from "./inventory.js";
import { runDurationMs } from "./build-run-metrics.js";
import { fitOnsMessage, singleLine, type OnsMessage } from "./fit-ons-message.js";
import type { PlanItem, RotationPlan } from "./rotation-plan.js";
import type { KeyRotationOutcome, ResourceRekeyOutcome, RotationRunResult, RunError } from "./rotation-run-result.js";

/** One thing that went wrong in a run, flattened for a message. */
export interface RunFailure {
  operation: string;
  keyId: string | null;
  keyName: string | null;
  resourceId: string | null;
  resourceName: string | null;
  /** One line: status, OCI code and message, why and how many attempts. */
  error: string;
  opcRequestId: string | null;
  workRequestId: string | null;
}

/**
 * A run result as the engine returns it (`rotate.ts` RotateResult): the plan it worked from rides
 * along when known, so an alert can name overdue keys that were only skipped or verified.
 */
export type AlertableRun = RotationRunResult & { plan?: RotationPlan | null };

/** What a one-line OCI error needs: a RunError, or an OciCallError (same field names). */
export type OciErrorFields = Pick<RunError, "message" | "reason" | "statusCode" | "serviceCode" | "attempts">;

/**
 * One line for an OCI failure, the single formatter of the signals: `<status> <serviceCode>:
 * <message> (<reason>, <n> attempts)`, each part left out when unknown, attempts only when more
 * than one. E.g. `429 TooManyRequests: Too many requests (throttled, 6 attempts)`.
 */
export function formatOciError(error: OciErrorFields): string {
  const code = [error.statusCode, error.serviceCode].filter((v) => v !== null && v !== undefined && v !== "").join(" ");
  const why = [error.reason, error.attempts > 1 ? `${error.attempts} attempts` : null].filter(Boolean).join(", ");
  return `${code ? `${code}: ` : ""}${error.message}${why ? ` (${why})` : ""}`;
}

function describeError(error: RunError | null, fallback: string): string {
  return error ? formatOciError(error) : fallback;
}

function resourceFailure(key: KeyRotationOutcome, resource: ResourceRekeyOutcome): RunFailure {
  return {
    operation: resource.error?.operation ?? resource.operation ?? "Rekey",
    keyId: key.keyId, keyName: key.keyName, resourceId: resource.resourceId, resourceName: resource.displayName,
    error: describeError(resource.error, resource.detail ?? "re-key failed"),
    opcRequestId: resource.error?.opcRequestId ?? resource.opcRequestId,
    workRequestId: resource.workRequestId,
  };
}

/**
 * Every failure of a run, in run order: the run-level error, then per key its own error, its
 * failed resources, and any failed step not already covered by those (same operation and resource).
 */
export function collectRunFailures(result: RotationRunResult): RunFailure[] {
  const failures: RunFailure[] = [];
  if (result.error) {
    failures.push({
      operation: result.error.operation, keyId: null, keyName: null, resourceId: null, resourceName: null,
      error: describeError(result.error, "run failed"), opcRequestId: result.error.opcRequestId, workRequestId: null,
    });
  }
  for (const key of result.keys) {
    const covered = new Set<string>();
    const add = (failure: RunFailure) => {
      covered.add(`${failure.operation}|${failure.resourceId ?? ""}`);
      failures.push(failure);
    };
    if (key.error) {
      add({
        operation: key.error.operation, keyId: key.keyId, keyName: key.keyName, resourceId: null, resourceName: null,
        error: describeError(key.error, key.reason ?? "key rotation failed"), opcRequestId: key.error.opcRequestId, workRequestId: null,
      });
    } else if (key.status === "failed") {
      add({
        operation: "Rotate", keyId: key.keyId, keyName: key.keyName, resourceId: null, resourceName: null,
        error: key.reason ?? "key rotation failed", opcRequestId: null, workRequestId: null,
      });
    }
    for (const resource of key.resources) if (resource.status === "failed") add(resourceFailure(key, resource));
    for (const step of key.steps) {
      if (step.status !== "failed" || covered.has(`${step.operation}|${step.resourceId ?? ""}`)) continue;
      const resource = key.resources.find((r) => r.resourceId === step.resourceId);
      add({
        operation: step.operation, keyId: key.keyId, keyName: key.keyName, resourceId: step.resourceId, resourceName: resource?.displayName ?? null,
        error: describeError(step.error, "step failed"), opcRequestId: step.error?.opcRequestId ?? step.opcRequestId, workRequestId: step.workRequestId,
      });
    }
  }
  return failures;
}

const ALERT_SEVERITIES: ReadonlySet<FindingSeverity> = new Set(["critical", "high"]);

/** An overdue key of the run's plan that this run only skipped (a finding blocks it) or verified (native auto-rotation). */
export interface OverdueNotRotated {
  key: KeyRotationOutcome;
  item: PlanItem;
}

/**
 * The run's keys whose plan item is `overdue` with action `skip` or `verify`: keys past their
 * cryptoperiod that this run did not rotate (rule 2: auto-rotation is context, never proof).
 * Empty when the result carries no plan.
 */
export function overdueNotRotated(result: AlertableRun): OverdueNotRotated[] {
  const items = new Map((result.plan?.items ?? []).map((item) => [item.keyId, item]));
  return result.keys.flatMap((key) => {
    const item = items.get(key.keyId);
    const onlyLooked = item && item.status === "overdue" && (item.action === "skip" || item.action === "verify");
    return onlyLooked && (key.status === "skipped" || key.status === "verified") ? [{ key, item }] : [];
  });
}

/**
 * True when the run deserves an alert. Dry runs never do. Otherwise: it failed or is partial,
 * recorded any failure, has an open finding of severity critical or high (a key that could not be
 * read, throttled or not (B03), EXTERNAL, disabled, a forked lineage, ...), or an overdue key it
 * only skipped or verified ({@link overdueNotRotated}).
 */
export function runNeedsAlert(result: AlertableRun): boolean {
  if (result.dryRun) return false;
  return result.status === "failed" || result.status === "partial" || collectRunFailures(result).length > 0
    || result.findings.some((f) => ALERT_SEVERITIES.has(f.severity)) || overdueNotRotated(result).length > 0;
}

function count<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.filter(predicate).length;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * The alert for a run (see {@link runNeedsAlert}): title `keyproof rotation run <id>: <status>,
 * <n> failure(s)` plus `, <m> overdue not rotated` and `, <k> critical/high finding(s)` when there
 * are any; a RAW_TEXT body listing each failure (operation, key, resource, error, opc-request-id,
 * work request), the in-progress re-keys, the overdue keys only skipped or verified, counts, and
 * the critical and high findings; cut to 64 KB with a note naming the run, secrets redacted, every
 * name and text from the tenancy on one line.
 */
export function buildRunMessage(result: AlertableRun): OnsMessage {
  const failures = collectRunFailures(result);
  const overdue = overdueNotRotated(result);
  const serious = result.findings.filter((f) => ALERT_SEVERITIES.has(f.severity));
  const resources = result.keys.flatMap((k) => k.resources.map((r) => ({ key: k, resource: r })));
  const inProgress = resources.filter((r) => r.resource.status === "in-progress");
  const one = singleLine;
  const title = [
    `keyproof rotation run ${result.runId}: ${result.status}, ${plural(failures.length, "failure")}`,
    overdue.length > 0 ? `${overdue.length} overdue not rotated` : null,
    serious.length > 0 ? `${plural(serious.length, "critical/high finding")}` : null,
  ].filter(Boolean).join(", ");

  const lines: string[] = [
    `keyproof rotation run ${result.runId} ended ${result.status}.`,
    `Started ${result.startedAt}, finished ${result.finishedAt} (${runDurationMs(result)} ms), trigger ${one(result.trigger)}.`,
    "",
    `Keys: ${count(result.keys, (k) => k.status === "rotated")} rotated, ${count(result.keys, (k) => k.status === "rekeyed")} re-keyed only, ` +
      `${count(result.keys, (k) => k.status === "partial")} partial, ${count(result.keys, (k) => k.status === "failed")} failed, ` +
      `${count(result.keys, (k) => k.status === "not-due")} not due, ${count(result.keys, (k) => k.status === "skipped")} skipped.`,
    `Re-keys: ${count(resources, (r) => r.resource.status === "succeeded")} succeeded, ${count(resources, (r) => r.resource.status === "failed")} failed, ` +
      `${inProgress.length} in progress.`,
    "",
    `Failures (${failures.length}):`,
  ];
  failures.forEach((f, i) => {
    lines.push(`${i + 1}. ${one(f.operation)} failed`);
    if (f.keyId) lines.push(`   key: ${one(f.keyName ?? "")} (${one(f.keyId)})`);
    if (f.resourceId) lines.push(`   resource: ${one(f.resourceName ?? "")} (${one(f.resourceId)})`);
    lines.push(`   error: ${one(f.error)}`);
    lines.push(`   opc-request-id: ${f.opcRequestId ? one(f.opcRequestId) : "none (OCI did not answer)"}`);
    if (f.workRequestId) lines.push(`   work request: ${one(f.workRequestId)}`);
  });
  if (inProgress.length) {
    lines.push("", `Still in progress (${inProgress.length}; checked again on the next run):`);
    for (const { key, resource } of inProgress) {
      lines.push(`- ${one(resource.displayName)} (${one(resource.resourceId)}), key ${one(key.keyName)}${resource.workRequestId ? `, work request ${one(resource.workRequestId)}` : ""}`);
    }
  }
  if (overdue.length) {
    lines.push("", `Overdue, not rotated (${overdue.length}):`);
    for (const { key, item } of overdue) {
      const how = item.action === "verify" ? "native auto-rotation, only verified" : "skipped";
      lines.push(`- ${one(key.keyName)} (${one(key.keyId)}): ${item.currentVersionAgeDays} days old, due ${item.dueAt}; ${how}: ${one(item.reason)}`);
    }
  }
  const critical = count(result.findings, (f) => f.severity === "critical");
  const high = count(result.findings, (f) => f.severity === "high");
  const bySeverity = [critical ? `${critical} critical` : null, high ? `${high} high` : null].filter(Boolean).join(", ");
  lines.push("", `Open findings: ${result.findings.length}${bySeverity ? ` (${bySeverity})` : ""}.`);
  for (const finding of serious) lines.push(`- [${finding.severity}] ${finding.code}: ${one(finding.message)}`);
  lines.push("", `Full record: rotation run ${result.runId} in the keyproof store (rotation_run ${result.runId} and its rotation_step rows).`);

  return fitOnsMessage(
    title,
    lines.join("\n"),
    (shown, total) => `[truncated: ${shown} of ${total} bytes shown (Notifications allows 64 KB); every failure is in rotation run ${result.runId} in the keyproof store]`,
  );
}
