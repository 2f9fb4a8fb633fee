/**
 * One plan item: what is due for one key lineage (a bucket key is a lineage of one) and what the
 * engine will do about it. Pure; used by `plan-rotation.ts`. Rules: DESIGN §3 rules 1, 2, 8, 9 and
 * "How a rotation works"; cases B11, B13, B15, B17; OCI Block Volume docs (keys with a single
 * version only, OCI-NOTES §2.5).
 */
import type { OciResource } from "../oci/oci-ports.js";
import { parseInstant, type Instant } from "../time/instant.js";
import type { Finding, FindingCode, InventoryKey, KeyLineage } from "./inventory.js";
import { addDays, currentKeyVersionOf, DAY_MS, oldestLiveVersionOf, wholeDaysBetween } from "./key-age.js";
import { isDeletionState, isPrimaryCopy, isUsableKeyState } from "./key-lifecycle.js";
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

/** Findings on any key of the lineage the item's reason repeats, so the plan says what shaped it. */
const LINEAGE_NOTES: ReadonlySet<FindingCode> = new Set(["LINEAGE_FORK", "LINEAGE_LINK_REJECTED", "AUTO_ROTATION_ON_VOLUME_KEY"]);

const BACKUP_REASON = "backups keep the key they were made with (retired, retained: rule 6)";
// OCI shows no per-bucket re-encryption state: an unfinished rotation is resumed from keyproof's
// own records (rotation_slot / rotation_rekey), not from the plan.
const BUCKET_RECORDS_NOTE = "buckets of an unfinished rotation are resumed from keyproof's own records";
/**
 * A key in scope only by its tag: creating a version could give volumes nobody tagged a key with
 * several versions (Block Volume supports a single version only), so nothing is rotated.
 */
export const NO_TAGGED_RESOURCE = "no tagged resource uses this key; tag the buckets or volumes it protects";

type ItemBase = Omit<PlanItem, "strategy" | "status" | "action" | "reason" | "resources">;

/** Where an item's age is measured from: an instant and the words that say what it is. */
interface AgeBasis {
  at: Instant;
  /** `Current version` or `Volume key material (key "x" since …)`. */
  subject: string;
}

/**
 * The item for `lineage`, or null when it has nothing to rotate: every key of it is being deleted
 * (rule 8: left out). The rotated key (head) is `lineage.headKeyId` unless it is being deleted,
 * else the newest key not being deleted; keys being deleted are left out of the item (their
 * resources go to the caller's not-eligible list with the rule 8 finding).
 *
 * - No in-scope resource on any key of the lineage: action `none`, strategy `none`
 *   ({@link NO_TAGGED_RESOURCE}); native auto-rotation keys are still verified (nothing is written).
 * - Block Volume resources on the lineage (or several keys): `successor-key`, even when the head
 *   has native auto-rotation on (it never re-keys volumes) or several versions. The age runs from
 *   the head's oldest live version, or from the oldest live version of the oldest key a volume
 *   still sits on when volumes lag behind ({@link PlanItem.ageFrom}). `rotate` when the head itself
 *   is due; `rekey` when only lagging volumes are; a volume on a DISABLED key is not eligible. A
 *   bucket on a retired key of the lineage is not eligible (BUCKET_ON_RETIRED_VOLUME_KEY) and does
 *   not block the volumes.
 * - Native auto-rotation without volumes: `verify`; status `overdue` once the current version is
 *   past the policy interval (rule 2), else `auto-rotation`.
 * - Otherwise `key-version` from the current version's age (rule 1).
 * @throws TypeError only on malformed instants the caller could not catch earlier (the caller turns
 *   it into a cannot-rotate item so one bad key never hides the others).
 */
export function planLineage(ctx: PlanContext, lineage: KeyLineage): PlanItem | null {
  const keys = lineage.keyIds.map((id) => ctx.keysById.get(id)).filter((k): k is InventoryKey => k !== undefined);
  const live = keys.filter((k) => !isDeletionState(k.key.lifecycleState));
  if (live.length === 0) return null;
  const head = live.find((k) => k.key.id === lineage.headKeyId) ?? live.at(-1)!;
  const lineageKeys = [...live.filter((k) => k !== head), head];
  const resources = lineageKeys
    .flatMap((k) => ctx.resourcesByKey.get(k.key.id) ?? [])
    .sort((a, b) => (ctx.resourceOrder.get(a.id) ?? 0) - (ctx.resourceOrder.get(b.id) ?? 0));
  // A bucket on a retired key of a volume lineage is its own problem, never the lineage's.
  const retiredBuckets = new Set(lineageKeys.length > 1 ? resources.filter((r) => r.kind === "bucket" && r.kmsKeyId !== head.key.id).map((r) => r.id) : []);
  const active = resources.filter((r) => !retiredBuckets.has(r.id));
  const hasVolumes = active.some((r) => isVolumeFamily(r.kind)) || lineageKeys.length > 1;
  const hasBuckets = active.some((r) => r.kind === "bucket");
  // Block Volume does not follow key versions: native auto-rotation never re-keys a volume.
  const strategy: RotationStrategy = hasVolumes ? "successor-key" : head.key.isAutoRotationEnabled ? "native-auto-rotation" : "key-version";

  const version = currentKeyVersionOf(head);
  const created = parseInstant(version?.timeCreated);
  const basis = created ? (strategy === "successor-key" ? volumeBasis(ctx, head, created, active) : { at: created, subject: "Current version" }) : null;
  const base: ItemBase = {
    keyId: head.key.id,
    keyName: head.key.displayName,
    vaultId: head.vault.id,
    vaultName: head.vault.displayName,
    compartmentId: head.key.compartmentId,
    currentKeyVersionId: head.key.currentKeyVersionId,
    currentVersionCreated: created?.iso ?? "",
    currentVersionAgeDays: basis ? wholeDaysBetween(basis.at.iso, ctx.asOf) : 0,
    dueAt: basis ? addDays(basis.at.iso, ctx.intervalDays) : "",
    ageFrom: basis?.at.iso ?? "",
    slot: `${head.key.id}@${head.key.currentKeyVersionId}`,
    lineageKeyIds: lineageKeys.map((k) => k.key.id),
  };
  const notes = lineageNotes(ctx, lineageKeys);
  const withNotes = (reason: string) => [reason, ...notes].join(" ");

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
      reason: withNotes(blockers.map(sentence).join(" ")),
      resources: resources.map((resource) => (retiredBuckets.has(resource.id)
        ? retiredBucket(ctx, resource)
        : { resource, action: "not-eligible", reason: "not re-keyed: the key is skipped (see the item's reason)" })),
    };
  }

  const status = statusOf(basis!.at.epochMs, ctx);
  const ageText = describeAge(basis!.subject, base.currentVersionAgeDays, base.dueAt, status, ctx);
  if (strategy === "native-auto-rotation") {
    // Rule 2: auto-rotation is context, never proof: past the policy interval the item says overdue.
    return {
      ...base, strategy, status: status === "overdue" ? "overdue" : "auto-rotation", action: "verify",
      reason: withNotes(nativeReason(ctx, head, base.currentVersionAgeDays)), resources: resources.map(verifyOnly),
    };
  }
  if (resources.length === 0) {
    return { ...base, strategy: "none", status, action: "none", reason: withNotes(`${ageText}; not rotated: ${NO_TAGGED_RESOURCE}.`), resources: [] };
  }
  if (strategy === "key-version") {
    const action: PlanAction = status === "not-due" ? "none" : "rotate";
    const reason =
      action === "rotate"
        ? `${ageText}: create a new key version, then re-encrypt ${countOf(resources.length, "bucket")}.`
        : `${ageText}; nothing to rotate (${BUCKET_RECORDS_NOTE}).`;
    const planned = resources.map((resource): PlanResource =>
      action === "rotate" ? { resource, action: "reencrypt-bucket", reason: null } : { resource, action: "none", reason: BUCKET_RECORDS_NOTE },
    );
    return { ...base, strategy, status, action, reason: withNotes(reason), resources: planned };
  }
  const item = successorItem(ctx, base, head, resources, retiredBuckets, status, ageText);
  return { ...item, reason: withNotes(item.reason) };
}

/**
 * The age basis of a volume lineage: the oldest live version of the head (a CreateKeyVersion on it,
 * by hand or by native auto-rotation, re-keys no volume), or of an older key a volume or boot
 * volume still sits on, whichever is older. A key whose versions are unknown counts from its own
 * timeCreated; the head falls back to its current version.
 */
function volumeBasis(ctx: PlanContext, head: InventoryKey, current: Instant, active: OciResource[]): AgeBasis {
  const startOf = (k: InventoryKey) => parseInstant(oldestLiveVersionOf(k)?.timeCreated) ?? parseInstant(k.key.timeCreated);
  let oldest = { key: head, at: startOf(head) ?? current };
  for (const r of active) {
    if (!isMovableVolume(r.kind) || r.kmsKeyId === head.key.id) continue;
    const on = ctx.keysById.get(r.kmsKeyId ?? "");
    const at = on ? startOf(on) : null;
    if (on && at && at.epochMs < oldest.at.epochMs) oldest = { key: on, at };
  }
  return { at: oldest.at, subject: `Volume key material (key "${oldest.key.key.displayName}", since ${oldest.at.iso})` };
}

/** Successor-key lineages: volumes and boot volumes move to a new key; backups stay (DESIGN §3). */
function successorItem(
  ctx: PlanContext, base: ItemBase, head: InventoryKey, resources: OciResource[], retiredBuckets: ReadonlySet<string>,
  status: PlanStatus, ageText: string,
): PlanItem {
  const aes = head.key.algorithm === "AES";
  const movable = resources.filter((r) => isMovableVolume(r.kind));
  // A volume on a DISABLED key of the lineage cannot be moved: Block Volume must unwrap its key first.
  const stuck = new Set(movable.filter((r) => r.kmsKeyId !== head.key.id && !isUsableKeyState(ctx.keysById.get(r.kmsKeyId ?? "")?.key.lifecycleState ?? "")).map((r) => r.id));
  const eligible = movable.filter((r) => !stuck.has(r.id));
  const behind = eligible.filter((r) => r.kmsKeyId !== head.key.id);
  if (movable.length > 0 && !aes) {
    // B15: the successor has the same shape, so no volume can move; no UpdateVolumeKmsKey is sent.
    const why = findingFor(ctx, "NON_AES_KEY_FOR_VOLUME", head.key.id, movable[0]!.id)?.message ?? "incompatible key algorithm – AES required.";
    const planned = resources.map((resource): PlanResource =>
      retiredBuckets.has(resource.id) ? retiredBucket(ctx, resource)
        : isMovableVolume(resource.kind) ? { resource, action: "not-eligible", reason: nonAesReason(ctx, head, resource) }
          : backupOrNone(resource),
    );
    return { ...base, strategy: "successor-key", status: "cannot-rotate", action: "skip", reason: why, resources: planned };
  }
  // Due by the head's own material: a new successor. Due only by lagging volumes: move them to the head.
  const headStatus = statusOf(parseInstant(oldestLiveVersionOf(head)?.timeCreated)?.epochMs ?? Date.parse(base.currentVersionCreated), ctx);
  let action: PlanAction;
  let reason: string;
  if (movable.length === 0) {
    action = "none";
    reason = `${ageText}; no volume or boot volume in scope uses the lineage (backups keep their keys): nothing to move.`;
  } else if (eligible.length === 0) {
    action = "none";
    reason = `${ageText}; every volume and boot volume of the lineage is on a DISABLED key and cannot be moved until it is enabled.`;
  } else if (headStatus !== "not-due") {
    action = "rotate";
    reason = `${ageText}: create a successor key, then move ${volumeCounts(eligible)} to it.`;
  } else if (behind.length > 0) {
    action = "rekey";
    const one = behind.length === 1;
    reason = `${ageText}; successor key "${head.key.displayName}" exists but ${volumeCounts(behind)} ${one ? "is" : "are"} still on an older key of the lineage: move ${one ? "it" : "them"}.`;
  } else {
    action = "none";
    reason = `${ageText}; every volume and boot volume is on the newest key.`;
  }
  const planned = resources.map((resource): PlanResource => {
    if (retiredBuckets.has(resource.id)) return retiredBucket(ctx, resource);
    if (!isMovableVolume(resource.kind)) return backupOrNone(resource);
    const on = ctx.keysById.get(resource.kmsKeyId ?? "")?.key;
    if (stuck.has(resource.id)) {
      return { resource, action: "not-eligible", reason: `on key "${on?.displayName ?? resource.kmsKeyId}", which is ${on?.lifecycleState ?? "unknown"}: cannot be moved until the key is enabled` };
    }
    if (action === "rotate") return { resource, action: "move-to-successor", reason: null };
    if (resource.kmsKeyId !== head.key.id) return { resource, action: "move-to-successor", reason: `still on older key "${on?.displayName ?? resource.kmsKeyId}" of the lineage` };
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

function describeAge(subject: string, age: number, dueAt: string, status: PlanStatus, ctx: PlanContext): string {
  const days = `${subject} is ${age} day${age === 1 ? "" : "s"} old`;
  if (status === "overdue") return `${days}, past the ${ctx.intervalDays}-day interval (due ${dueAt})`;
  if (status === "due") return `${days}, due ${dueAt} (within the ${ctx.leadDays}-day lead)`;
  return `${days}, due ${dueAt}`;
}

function blockingReasons(ctx: PlanContext, head: InventoryKey, servesBoth: boolean): string[] {
  const reasons = ctx.findings
    // A REPLICA_KEY of severity low is a replica *copy* of this key: context, never a blocker (B13).
    .filter((f) => f.keyId === head.key.id && BLOCKING.has(f.code) && !(f.code === "REPLICA_KEY" && f.severity === "low"))
    .map((f) => f.message);
  if (reasons.length === 0 && !isPrimaryCopy(head)) {
    reasons.push(`Key "${head.key.displayName}" is a read-only replica copy: it can only be rotated through its primary vault`);
  }
  // Both kinds on different keys of one lineage: no finding names the head, the plan says why itself.
  if (servesBoth && !ctx.findings.some((f) => f.keyId === head.key.id && f.code === "KEY_SERVES_VOLUMES_AND_BUCKETS")) {
    reasons.push(`the lineage of key "${head.key.displayName}" serves both Block Volume resources and buckets, which rotate differently: not rotated`);
  }
  return reasons;
}

/** The messages of lineage-shaping findings (fork, rejected link, auto-rotation on a volume key) on any key of the lineage. */
function lineageNotes(ctx: PlanContext, lineageKeys: InventoryKey[]): string[] {
  const ids = new Set(lineageKeys.map((k) => k.key.id));
  return ctx.findings.filter((f) => f.keyId !== null && ids.has(f.keyId) && LINEAGE_NOTES.has(f.code)).map((f) => f.message);
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
  const codes: ReadonlySet<FindingCode> = new Set(["AUTO_ROTATION_FAILED", "AUTO_ROTATION_NOT_HAPPENING", "AUTO_ROTATION_BEHIND_POLICY"]);
  const problems = ctx.findings.filter((f) => f.keyId === head.key.id && codes.has(f.code));
  return [parts.join(""), ...problems.map((f) => f.message)].join(" ");
}

function verifyOnly(resource: OciResource): PlanResource {
  if (resource.kind === "bucket") return { resource, action: "none", reason: `native auto-rotation creates the versions; ${BUCKET_RECORDS_NOTE}` };
  return { resource, action: "none", reason: BACKUP_REASON };
}

function backupOrNone(resource: OciResource): PlanResource {
  return { resource, action: "none", reason: isVolumeFamily(resource.kind) ? BACKUP_REASON : null };
}

function retiredBucket(ctx: PlanContext, resource: OciResource): PlanResource {
  const why = findingFor(ctx, "BUCKET_ON_RETIRED_VOLUME_KEY", resource.kmsKeyId ?? "", resource.id)?.message
    ?? "on a retired key of a volume key lineage: buckets need a new key version, retired volume keys stay unchanged for backups; give the bucket its own key";
  return { resource, action: "not-eligible", reason: why };
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
