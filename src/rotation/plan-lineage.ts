/**
 * One plan item: what is due for one key lineage (a bucket key is a lineage of one) and what the
 * engine will do about it. Pure; used by `plan-rotation.ts`. Rules: DESIGN §3 rules 1, 2, 8, 9 and
 * "How a rotation works"; cases B11, B13, B15, B17.
 */
import type { OciResource } from "../oci/oci-ports.js";
import { parseInstant } from "../time/instant.js";
import type { Finding, FindingCode, InventoryKey, KeyLineage } from "./inventory.js";
import { addDays, currentKeyVersionOf, DAY_MS, wholeDaysBetween } from "./key-age.js";
import { isDeletionState } from "./key-lifecycle.js";
import { countOf, isMovableVolume, isVolumeFamily } from "./resource-kinds.js";
import type { PlanAction, PlanItem, PlanResource, PlanStatus, RotationStrategy } from "./rotation-plan.js";

export interface PlanContext {
  keysById: Map<string, InventoryKey>;
  /** In-scope resources by the key they use. */
  resourcesByKey: Map<string, OciResource[]>;
  /** Position of each resource in the inventory: an item lists its resources in that order. */
  resourceOrder: Map<string, number>;
  findings: Finding[];
  intervalDays: number;
  leadDays: number;
  /** Canonical UTC ISO. */
  asOf: string;
}

/** Findings on the lineage's rotated key that block its rotation (the item is skipped with their reason). */
const BLOCKING: ReadonlySet<FindingCode> = new Set(["KEY_SERVES_VOLUMES_AND_BUCKETS", "EXTERNAL_KEY", "KEY_DISABLED", "KEY_NOT_READABLE", "REPLICA_KEY"]);

const BACKUP_REASON = "backups keep the key they were made with (retired, retained: rule 6)";
const BUCKET_RECORDS_NOTE =
  "whether each bucket was re-encrypted for the current version is decided by the engine from its own records (the plan cannot see re-encryption state)";

/**
 * The item for `lineage`, or null when it has nothing to rotate: every key of it is being deleted
 * (rule 8: left out). The rotated key is the newest key not being deleted; resources on keys after
 * it (on a successor pending deletion) are left to the caller's not-eligible list.
 * @throws TypeError only on malformed instants the caller could not catch earlier (the caller turns
 *   it into a cannot-rotate item so one bad key never hides the others).
 */
export function planLineage(ctx: PlanContext, lineage: KeyLineage): PlanItem | null {
  const keys = lineage.keyIds.map((id) => ctx.keysById.get(id)).filter((k): k is InventoryKey => k !== undefined);
  let last = keys.length - 1;
  while (last >= 0 && isDeletionState(keys[last]!.key.lifecycleState)) last -= 1;
  if (last < 0) return null;
  const lineageKeys = keys.slice(0, last + 1);
  const head = lineageKeys[last]!;
  const resources = lineageKeys
    .flatMap((k) => ctx.resourcesByKey.get(k.key.id) ?? [])
    .sort((a, b) => (ctx.resourceOrder.get(a.id) ?? 0) - (ctx.resourceOrder.get(b.id) ?? 0));
  const hasVolumes = resources.some((r) => isVolumeFamily(r.kind)) || lineageKeys.length > 1;
  const hasBuckets = resources.some((r) => r.kind === "bucket");
  const strategy: RotationStrategy = head.key.isAutoRotationEnabled ? "native-auto-rotation" : hasVolumes ? "successor-key" : "key-version";

  const version = currentKeyVersionOf(head);
  const created = parseInstant(version?.timeCreated);
  const base = {
    keyId: head.key.id,
    keyName: head.key.displayName,
    vaultId: head.vault.id,
    vaultName: head.vault.displayName,
    compartmentId: head.key.compartmentId,
    currentKeyVersionId: head.key.currentKeyVersionId,
    currentVersionCreated: created?.iso ?? "",
    currentVersionAgeDays: created ? wholeDaysBetween(created.iso, ctx.asOf) : 0,
    dueAt: created ? addDays(created.iso, ctx.intervalDays) : "",
    slot: `${head.key.id}@${head.key.currentKeyVersionId}`,
    lineageKeyIds: lineageKeys.map((k) => k.key.id),
  };

  const blockers = blockingReasons(ctx, head, hasVolumes && hasBuckets);
  if (!created) {
    blockers.push(
      version
        ? `the current key version ${head.key.currentKeyVersionId} has no valid timeCreated`
        : `the current key version ${head.key.currentKeyVersionId} is not among the key's versions, so its age is unknown (rule 1)`,
    );
  }
  if (blockers.length > 0) {
    return {
      ...base,
      // No strategy is right for a lineage serving both kinds (DESIGN §3).
      strategy: hasVolumes && hasBuckets ? "none" : strategy,
      status: "cannot-rotate",
      action: "skip",
      reason: blockers.map(sentence).join(" "),
      resources: resources.map((resource) => ({ resource, action: "not-eligible", reason: "not re-keyed: the key is skipped (see the item's reason)" })),
    };
  }

  const status = statusOf(created!.epochMs, ctx);
  const ageText = describeAge(base.currentVersionAgeDays, base.dueAt, status, ctx);
  if (strategy === "native-auto-rotation") {
    return { ...base, strategy, status: "auto-rotation", action: "verify", reason: nativeReason(ctx, head, base.currentVersionAgeDays), resources: resources.map(verifyOnly) };
  }
  if (strategy === "key-version") {
    const action: PlanAction = status === "not-due" ? "none" : "rotate";
    const buckets = resources.filter((r) => r.kind === "bucket");
    const reason =
      action === "rotate"
        ? `${ageText}: create a new key version, then ${buckets.length > 0 ? `re-encrypt ${countOf(buckets.length, "bucket")}` : "nothing to re-encrypt (no in-scope bucket uses it)"}.`
        : `${ageText}; nothing to rotate.${buckets.length > 0 ? ` Note: ${BUCKET_RECORDS_NOTE}.` : ""}`;
    const planned = resources.map((resource): PlanResource =>
      action === "rotate" ? { resource, action: "reencrypt-bucket", reason: null } : { resource, action: "none", reason: BUCKET_RECORDS_NOTE },
    );
    return { ...base, strategy, status, action, reason, resources: planned };
  }
  return successorItem(ctx, base, head, resources, status, ageText);
}

/** Successor-key lineages: volumes and boot volumes move to a new key; backups stay (DESIGN §3). */
function successorItem(
  ctx: PlanContext, base: Omit<PlanItem, "strategy" | "status" | "action" | "reason" | "resources">, head: InventoryKey,
  resources: OciResource[], status: PlanStatus, ageText: string,
): PlanItem {
  const aes = head.key.algorithm === "AES";
  const movable = resources.filter((r) => isMovableVolume(r.kind));
  const behind = movable.filter((r) => r.kmsKeyId !== head.key.id);
  let action: PlanAction;
  let reason: string;
  if (movable.length > 0 && !aes) {
    // B15: the successor has the same shape, so no volume can move; no UpdateVolumeKmsKey is sent.
    const why = findingFor(ctx, "NON_AES_KEY_FOR_VOLUME", head.key.id, movable[0]!.id)?.message ?? "incompatible key algorithm – AES required.";
    const planned = resources.map((resource): PlanResource =>
      isMovableVolume(resource.kind) ? { resource, action: "not-eligible", reason: nonAesReason(ctx, head, resource) } : backupOrNone(resource),
    );
    return { ...base, strategy: "successor-key", status: "cannot-rotate", action: "skip", reason: why, resources: planned };
  }
  if (movable.length === 0) {
    action = "none";
    reason = `${ageText}; no volume or boot volume in scope uses the lineage (backups keep their keys): nothing to move.`;
  } else if (status !== "not-due") {
    action = "rotate";
    reason = `${ageText}: create a successor key, then move ${volumeCounts(movable)} to it.`;
  } else if (behind.length > 0) {
    action = "rekey";
    const one = behind.length === 1;
    reason = `${ageText}; successor key "${head.key.displayName}" exists but ${volumeCounts(behind)} ${one ? "is" : "are"} still on an older key of the lineage: move ${one ? "it" : "them"}.`;
  } else {
    action = "none";
    reason = `${ageText}; every volume and boot volume is on the newest key.`;
  }
  const planned = resources.map((resource): PlanResource => {
    if (!isMovableVolume(resource.kind)) return backupOrNone(resource);
    if (action === "rotate") return { resource, action: "move-to-successor", reason: null };
    if (resource.kmsKeyId !== head.key.id) {
      const on = ctx.keysById.get(resource.kmsKeyId ?? "")?.key.displayName ?? resource.kmsKeyId;
      return { resource, action: "move-to-successor", reason: `still on older key "${on}" of the lineage` };
    }
    return { resource, action: "none", reason: "already on the newest key" };
  });
  return { ...base, strategy: "successor-key", status, action, reason, resources: planned };
}

function statusOf(createdMs: number, ctx: PlanContext): PlanStatus {
  const ageMs = Date.parse(ctx.asOf) - createdMs;
  // Whole-day age ≥ n ⟺ elapsed ms ≥ n days, so these match the ageDays column exactly.
  if (ageMs >= ctx.intervalDays * DAY_MS) return "overdue";
  if (ageMs >= (ctx.intervalDays - ctx.leadDays) * DAY_MS) return "due";
  return "not-due";
}

function describeAge(age: number, dueAt: string, status: PlanStatus, ctx: PlanContext): string {
  const days = `Current version is ${age} day${age === 1 ? "" : "s"} old`;
  if (status === "overdue") return `${days}, past the ${ctx.intervalDays}-day interval (due ${dueAt})`;
  if (status === "due") return `${days}, due ${dueAt} (within the ${ctx.leadDays}-day lead)`;
  return `${days}, due ${dueAt}`;
}

function blockingReasons(ctx: PlanContext, head: InventoryKey, servesBoth: boolean): string[] {
  const reasons = ctx.findings
    // A REPLICA_KEY of severity low is a replica *copy* of this key: context, never a blocker (B13).
    .filter((f) => f.keyId === head.key.id && BLOCKING.has(f.code) && !(f.code === "REPLICA_KEY" && f.severity === "low"))
    .map((f) => f.message);
  if (reasons.length === 0 && (!head.key.isPrimary || !head.vault.isPrimary)) {
    reasons.push(`Key "${head.key.displayName}" is a read-only replica copy: it can only be rotated through its primary vault`);
  }
  // Both kinds on different keys of one lineage: no finding names the head, the plan says why itself.
  if (servesBoth && !ctx.findings.some((f) => f.keyId === head.key.id && f.code === "KEY_SERVES_VOLUMES_AND_BUCKETS")) {
    reasons.push(`the lineage of key "${head.key.displayName}" serves both Block Volume resources and buckets, which rotate differently: not rotated`);
  }
  return reasons;
}

function nativeReason(ctx: PlanContext, head: InventoryKey, age: number): string {
  const a = head.key.autoRotation;
  const parts = [`Native auto-rotation${a?.rotationIntervalInDays ? ` every ${a.rotationIntervalInDays} days` : ""}`];
  const facts: string[] = [];
  if (a?.lastRotationStatus) facts.push(`last ${a.lastRotationStatus}${a.timeOfLastRotation ? ` at ${a.timeOfLastRotation}` : ""}`);
  if (a?.timeOfNextRotation) facts.push(`next ${a.timeOfNextRotation}`);
  if (facts.length > 0) parts.push(` (${facts.join(", ")})`);
  parts.push(`; current version ${age} day${age === 1 ? "" : "s"} old`);
  if (age >= ctx.intervalDays) parts.push(`, past the ${ctx.intervalDays}-day policy interval: non-compliant (rule 2)`);
  parts.push(": verify, never rotate.");
  const problems = ctx.findings.filter((f) => f.keyId === head.key.id && (f.code === "AUTO_ROTATION_FAILED" || f.code === "AUTO_ROTATION_NOT_HAPPENING"));
  return [parts.join(""), ...problems.map((f) => f.message)].join(" ");
}

function verifyOnly(resource: OciResource): PlanResource {
  if (resource.kind === "bucket") return { resource, action: "none", reason: `native auto-rotation creates the versions; ${BUCKET_RECORDS_NOTE}` };
  if (isMovableVolume(resource.kind)) return { resource, action: "none", reason: "native auto-rotation: keyproof does not move volumes of this key" };
  return { resource, action: "none", reason: BACKUP_REASON };
}

function backupOrNone(resource: OciResource): PlanResource {
  return { resource, action: "none", reason: isVolumeFamily(resource.kind) ? BACKUP_REASON : null };
}

function nonAesReason(ctx: PlanContext, head: InventoryKey, resource: OciResource): string {
  return findingFor(ctx, "NON_AES_KEY_FOR_VOLUME", resource.kmsKeyId ?? head.key.id, resource.id)?.message ?? "incompatible key algorithm – AES required";
}

function findingFor(ctx: PlanContext, code: FindingCode, keyId: string, resourceId: string): Finding | undefined {
  return ctx.findings.find((f) => f.code === code && f.keyId === keyId && f.resourceId === resourceId)
    ?? ctx.findings.find((f) => f.code === code && f.resourceId === resourceId);
}

/** `2 volumes and 1 boot volume`. */
function volumeCounts(resources: OciResource[]): string {
  const volumes = resources.filter((r) => r.kind === "volume").length;
  const boots = resources.filter((r) => r.kind === "bootvolume").length;
  const parts = [volumes > 0 ? countOf(volumes, "volume") : "", boots > 0 ? countOf(boots, "bootvolume") : ""].filter(Boolean);
  return parts.join(" and ");
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
