/**
 * Is the archive mirror bucket immutable for long enough? PCI DSS 10.5.1 asks for audit logs to be
 * kept and protected; DESIGN §4 mirrors the archive "under a locked retention rule". OCI's rules
 * (OCI-NOTES §2.6, Object Storage "Using Retention Rules"): a rule is active from creation, but only
 * after `timeRuleLocked` can it no longer be shortened or deleted (a 14-day delay at least); a rule
 * without a duration is indefinite, and OCI refuses a lock time on such a rule ("specifying it when a
 * duration is not specified is considered an error"), so an indefinite rule can always be deleted.
 */
import type { ObjectStoragePort, OciPorts, OciRetentionRule } from "../../oci/oci-ports.js";
import { OciCallError } from "../../oci/oci-ports.js";
import { parseInstant } from "../../time/instant.js";

/** YEARS count as 365 days each (the same conversion as retentionDays' default 2555 = 7 × 365). */
const DAYS_PER_YEAR = 365;

/** Why the bucket does (not) prove retention. */
export type ArchiveRetentionReason =
  /** A locked rule at least `requiredDays` long (or indefinite). */
  | "locked"
  | "no-rule"
  /** A long-enough rule exists but its lock time is in the future, or it has none. */
  | "not-locked"
  /** Every rule is shorter than `requiredDays`. */
  | "too-short"
  /** The rules could not be read (DESIGN §3 rule 7: no evidence is never "ok"). */
  | "not-collected";

/** One rule as the check saw it. */
export interface CheckedRetentionRule {
  id: string;
  displayName: string;
  /** Retention in days (YEARS × 365); null = indefinite. */
  durationDays: number | null;
  timeRuleLocked: string | null;
  /** timeRuleLocked ≤ the check's instant. */
  locked: boolean;
}

export interface ArchiveRetentionCheck {
  ok: boolean;
  reason: ArchiveRetentionReason;
  /** One sentence naming the bucket, the rule and the numbers; the finding text when not ok. */
  message: string;
  namespace: string;
  bucket: string;
  /** policy.retentionDays. */
  requiredDays: number;
  /** The instant the lock state was judged at, canonical ISO UTC. */
  checkedAt: string;
  /** The rule that proves retention, or the one closest to it (null with no rules / not collected). */
  rule: CheckedRetentionRule | null;
  rules: CheckedRetentionRule[];
}

/** Days of a rule's duration (YEARS × 365); null for an indefinite rule. */
export function retentionRuleDays(rule: Pick<OciRetentionRule, "duration">): number | null {
  if (!rule.duration) return null;
  return rule.duration.timeAmount * (rule.duration.timeUnit === "YEARS" ? DAYS_PER_YEAR : 1);
}

function describeDuration(days: number | null): string {
  if (days === null) return "indefinite retention";
  const years = days % DAYS_PER_YEAR === 0 ? ` (${days / DAYS_PER_YEAR} ${days === DAYS_PER_YEAR ? "year" : "years"})` : "";
  return `${days} days${years}`;
}

const longEnough = (r: CheckedRetentionRule, required: number) => r.durationDays === null || r.durationDays >= required;
/** Longest first, indefinite above all; ties keep OCI's order. */
const byDuration = (a: CheckedRetentionRule, b: CheckedRetentionRule) => (b.durationDays ?? Infinity) - (a.durationDays ?? Infinity);

/**
 * The pure verdict over a bucket's rules at instant `now` (canonical ISO UTC or any instant text).
 * ok iff some rule is locked (timeRuleLocked ≤ now) and lasts at least `requiredDays` (YEARS = 365
 * days; no duration = indefinite = long enough). Otherwise the finding, in this order: no rule; a
 * long-enough rule not locked yet (lock time in the future, or none: for an indefinite rule OCI
 * allows none); every rule too short (the longest one named, and whether it is locked).
 */
export function evaluateRetentionRules(
  target: { namespace: string; bucket: string; requiredDays: number; now: string },
  rules: readonly OciRetentionRule[],
): ArchiveRetentionCheck {
  const nowMs = parseInstant(target.now)?.epochMs;
  if (nowMs === undefined) throw new TypeError(`now: expected an ISO-8601 instant, got ${JSON.stringify(target.now)}`);
  const checked: CheckedRetentionRule[] = rules.map((r) => {
    const lockMs = parseInstant(r.timeRuleLocked)?.epochMs;
    return {
      id: r.id, displayName: r.displayName, durationDays: retentionRuleDays(r),
      timeRuleLocked: r.timeRuleLocked, locked: lockMs !== undefined && lockMs <= nowMs,
    };
  });
  const { namespace, bucket, requiredDays } = target;
  const where = `archive bucket ${namespace}/${bucket}`;
  const base = { namespace, bucket, requiredDays, checkedAt: new Date(nowMs).toISOString(), rules: checked };
  const required = `policy.retentionDays requires ${describeDuration(requiredDays)}`;

  const proving = checked.filter((r) => r.locked && longEnough(r, requiredDays)).sort(byDuration)[0];
  if (proving) {
    return { ...base, ok: true, reason: "locked", rule: proving,
      message: `${where}: retention rule "${proving.displayName}" keeps objects for ${describeDuration(proving.durationDays)} and is locked since ${proving.timeRuleLocked}; ${required}` };
  }
  if (checked.length === 0) {
    return { ...base, ok: false, reason: "no-rule", rule: null,
      message: `${where} has no retention rule: archived objects can be changed or deleted; ${required} under a locked rule` };
  }
  const unlocked = checked.filter((r) => longEnough(r, requiredDays)).sort(byDuration)[0];
  if (unlocked) {
    const why = unlocked.timeRuleLocked
      ? `its lock time ${unlocked.timeRuleLocked} is still ahead, and until then it can be shortened or deleted`
      : unlocked.durationDays === null
        ? "it has no lock time, and OCI cannot lock an indefinite rule, so it can be deleted at any time (use a locked time-bound rule)"
        : "it has no lock time, so it can be shortened or deleted at any time";
    return { ...base, ok: false, reason: "not-locked", rule: unlocked,
      message: `${where}: retention rule "${unlocked.displayName}" (${describeDuration(unlocked.durationDays)}) is not locked: ${why}` };
  }
  const longest = [...checked].sort((a, b) => Number(b.locked) - Number(a.locked) || byDuration(a, b))[0]!;
  return { ...base, ok: false, reason: "too-short", rule: longest,
    message: `${where}: the longest ${longest.locked ? "locked " : ""}retention rule "${longest.displayName}" keeps objects for ` +
      `${describeDuration(longest.durationDays)}${longest.locked ? "" : " and is not locked"}; ${required}` };
}

/**
 * ListRetentionRules of the mirror bucket and the verdict of {@link evaluateRetentionRules} at `now`
 * (canonical ISO UTC, from the injected clock). An OCI failure is not thrown: it is the finding
 * "not-collected" naming the operation, the reason and the opc-request-id. Other errors are rethrown.
 */
export async function checkArchiveRetention(
  ports: Pick<OciPorts, "objectStorage"> | { objectStorage: Pick<ObjectStoragePort, "listRetentionRules"> },
  namespace: string,
  bucket: string,
  retentionDays: number,
  now: string,
): Promise<ArchiveRetentionCheck> {
  const target = { namespace, bucket, requiredDays: retentionDays, now };
  try {
    return evaluateRetentionRules(target, await ports.objectStorage.listRetentionRules(namespace, bucket));
  } catch (err) {
    if (!(err instanceof OciCallError)) throw err;
    const verdict = evaluateRetentionRules(target, []);
    return { ...verdict, reason: "not-collected",
      message: `archive bucket ${namespace}/${bucket}: retention rules not collected (${err.reason}): ${err.message}` +
        `${err.opcRequestId ? ` (opc-request-id ${err.opcRequestId})` : ""}; retention is unproven` };
  }
}
