/**
 * The status of a rotation run (issue 4 §5, DESIGN §3 rule 9), from its key outcomes (pure):
 * - `skipped`: nothing was executed: nothing due, every due key held by another run or already
 *   rotated for its slot (B22), or blocked by a finding (those are in the run's findings);
 * - `failed`: the run as a whole failed (inventory unreadable), or every executed key failed;
 * - `partial`: some executed key failed, or a resource failed or is still in progress (B17: only a
 *   succeeded work request counts as done);
 * - `succeeded`: every executed key was rotated or re-keyed completely.
 * A key is "executed" when its outcome is rotated, rekeyed, partial or failed.
 *
 * Keys or resources the inventory could not read (KEY_NOT_READABLE, a high RESOURCE_NOT_READABLE:
 * throttled, unauthorised, ...) are work the run could not do, never "nothing to do" (cases B03:
 * never a silent zero): with nothing else executed the run is `failed`, otherwise at best `partial`.
 */
import type { Finding } from "./inventory.js";
import type { KeyRotationOutcome, RunStatus } from "./rotation-run-result.js";

/** Findings that mean part of the scope could not be read, so could not be rotated or judged. */
export function unreadableFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.code === "KEY_NOT_READABLE" || (f.code === "RESOURCE_NOT_READABLE" && (f.severity === "high" || f.severity === "critical")));
}

const EXECUTED = new Set(["rotated", "rekeyed", "partial", "failed"]);

export function runStatusOf(keys: readonly KeyRotationOutcome[], runFailed = false, findings: readonly Finding[] = []): RunStatus {
  if (runFailed) return "failed";
  const unreadable = unreadableFindings(findings).length > 0;
  const executed = keys.filter((k) => EXECUTED.has(k.status));
  if (executed.length === 0) return unreadable ? "failed" : "skipped";
  if (executed.every((k) => k.status === "failed")) return "failed";
  if (unreadable || executed.some((k) => k.status !== "rotated" && k.status !== "rekeyed")) return "partial";
  return "succeeded";
}
