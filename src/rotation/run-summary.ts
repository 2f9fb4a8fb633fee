/**
 * The `rotation_run.summary_json` of a run (pure): counts of key and re-key outcomes, the plan's
 * shape, one line per key and the inventory's findings, so a run can be judged from its row alone.
 */
import type { Finding } from "./inventory.js";
import type { RotationPlan } from "./rotation-plan.js";
import type { KeyRotationOutcome } from "./rotation-run-result.js";

/** Findings kept in a summary at most (the rest is counted). */
export const MAX_SUMMARY_FINDINGS = 1000;

export interface RunSummary {
  keys: Record<string, number>;
  resources: Record<string, number>;
  plan: { items: number; due: number; overdue: number; cannotRotate: number; autoRotation: number } | null;
  outcomes: {
    keyId: string; keyName: string; strategy: string; status: string; slot: string | null;
    newKeyVersionId: string | null; successorKeyId: string | null; createdThisRun: boolean; reason: string | null;
  }[];
  findings: Finding[];
  findingsOmitted: number;
}

function countBy<T>(values: readonly T[], key: (v: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[key(v)] = (out[key(v)] ?? 0) + 1;
  return out;
}

export function buildRunSummary(keys: readonly KeyRotationOutcome[], plan: RotationPlan | null, findings: readonly Finding[]): RunSummary {
  return {
    keys: countBy(keys, (k) => k.status),
    resources: countBy(keys.flatMap((k) => k.resources), (r) => r.status),
    plan: plan
      ? {
          items: plan.items.length,
          due: plan.items.filter((i) => i.status === "due").length,
          overdue: plan.items.filter((i) => i.status === "overdue").length,
          cannotRotate: plan.items.filter((i) => i.status === "cannot-rotate").length,
          autoRotation: plan.items.filter((i) => i.status === "auto-rotation").length,
        }
      : null,
    outcomes: keys.map((k) => ({
      keyId: k.keyId, keyName: k.keyName, strategy: k.strategy, status: k.status, slot: k.slot, newKeyVersionId: k.newKeyVersionId,
      successorKeyId: k.successorKeyId, createdThisRun: k.createdThisRun, reason: k.reason,
    })),
    findings: findings.slice(0, MAX_SUMMARY_FINDINGS),
    findingsOmitted: Math.max(0, findings.length - MAX_SUMMARY_FINDINGS),
  };
}
