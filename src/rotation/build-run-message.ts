/**
 * The Notifications message keyproof sends after a rotation run with a failure (issue 4 §6): what
 * failed, on which key and resource, the error, the `opc-request-id` to give Oracle support, and
 * the run id to find the full record. Pure: plain text (RAW_TEXT), ≤ 64 KB, no secrets.
 */
import type { KeyRotationOutcome, ResourceRekeyOutcome, RotationRunResult, RunError } from "./rotation-run-result.js";
import { fitOnsMessage, type OnsMessage } from "./fit-ons-message.js";

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

function describeError(error: RunError | null, fallback: string): string {
  if (!error) return fallback;
  const code = [error.statusCode, error.serviceCode].filter((v) => v !== null && v !== undefined && v !== "").join(" ");
  const why = [error.reason, error.attempts > 1 ? `${error.attempts} attempts` : null].filter(Boolean).join(", ");
  return `${code ? `${code}: ` : ""}${error.message}${why ? ` (${why})` : ""}`;
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

/** True when the run deserves an alert: it failed, is partial, or recorded any failure. Dry runs never do. */
export function runNeedsAlert(result: RotationRunResult): boolean {
  if (result.dryRun) return false;
  return result.status === "failed" || result.status === "partial" || collectRunFailures(result).length > 0;
}

function count<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.filter(predicate).length;
}

function durationMs(result: RotationRunResult): number {
  return Math.max(0, Date.parse(result.finishedAt) - Date.parse(result.startedAt));
}

/**
 * The alert for a run (see {@link runNeedsAlert}): title `keyproof rotation run <id>: <status>,
 * <n> failure(s)`, a RAW_TEXT body listing each failure (operation, key, resource, error,
 * opc-request-id, work request), the in-progress re-keys, counts, and open findings; cut to 64 KB
 * with a note naming the run, secrets redacted.
 */
export function buildRunMessage(result: RotationRunResult): OnsMessage {
  const failures = collectRunFailures(result);
  const resources = result.keys.flatMap((k) => k.resources.map((r) => ({ key: k, resource: r })));
  const inProgress = resources.filter((r) => r.resource.status === "in-progress");
  const title = `keyproof rotation run ${result.runId}: ${result.status}, ${failures.length} failure${failures.length === 1 ? "" : "s"}`;

  const lines: string[] = [
    `keyproof rotation run ${result.runId} ended ${result.status}.`,
    `Started ${result.startedAt}, finished ${result.finishedAt} (${durationMs(result)} ms), trigger ${result.trigger}.`,
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
    lines.push(`${i + 1}. ${f.operation} failed`);
    if (f.keyId) lines.push(`   key: ${f.keyName ?? ""} (${f.keyId})`);
    if (f.resourceId) lines.push(`   resource: ${f.resourceName ?? ""} (${f.resourceId})`);
    lines.push(`   error: ${f.error}`);
    lines.push(`   opc-request-id: ${f.opcRequestId ?? "none (OCI did not answer)"}`);
    if (f.workRequestId) lines.push(`   work request: ${f.workRequestId}`);
  });
  if (inProgress.length) {
    lines.push("", `Still in progress (${inProgress.length}; checked again on the next run):`);
    for (const { key, resource } of inProgress) {
      lines.push(`- ${resource.displayName} (${resource.resourceId}), key ${key.keyName}${resource.workRequestId ? `, work request ${resource.workRequestId}` : ""}`);
    }
  }
  const critical = count(result.findings, (f) => f.severity === "critical");
  lines.push("", `Open findings: ${result.findings.length}${critical ? ` (${critical} critical)` : ""}.`);
  for (const finding of result.findings.filter((f) => f.severity === "critical")) lines.push(`- ${finding.code}: ${finding.message}`);
  lines.push("", `Full record: rotation run ${result.runId} in the keyproof store (rotation_run ${result.runId} and its rotation_step rows).`);

  return fitOnsMessage(
    title,
    lines.join("\n"),
    (shown, total) => `[truncated: ${shown} of ${total} bytes shown (Notifications allows 64 KB); every failure is in rotation run ${result.runId} in the keyproof store]`,
  );
}
