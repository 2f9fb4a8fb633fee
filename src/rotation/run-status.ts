/**
 * The status of a rotation run (issue 4 §5, DESIGN §3 rule 9), from its key outcomes (pure):
 * - `skipped`: nothing was executed: nothing due, every due key held by another run or already
 *   rotated for its slot (B22), or blocked by a finding (those are in the run's findings);
 * - `failed`: the run as a whole failed (inventory unreadable), or every executed key failed;
 * - `partial`: some executed key failed, or a resource failed or is still in progress (B17: only a
 *   succeeded work request counts as done);
 * - `succeeded`: every executed key was rotated or re-keyed completely.
 * A key is "executed" when its outcome is rotated, rekeyed, partial or failed.
 */
import type { KeyRotationOutcome, RunStatus } from "./rotation-run-result.js";

const EXECUTED = new Set(["rotated", "rekeyed", "partial", "failed"]);

export function runStatusOf(keys: readonly KeyRotationOutcome[], runFailed = false): RunStatus {
  if (runFailed) return "failed";
  const executed = keys.filter((k) => EXECUTED.has(k.status));
  if (executed.length === 0) return "skipped";
  if (executed.every((k) => k.status === "failed")) return "failed";
  if (executed.some((k) => k.status !== "rotated" && k.status !== "rekeyed")) return "partial";
  return "succeeded";
}
