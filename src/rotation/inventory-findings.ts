/**
 * Findings about an inventory (pure): what keeps a key or resource from being rotated or re-keyed
 * correctly, each with a reason an auditor can read. Sources: DESIGN §3 (rules 2, 8, 9 and "How a
 * rotation works"), cases B13, B15, B17, and OCI's Block Volume and Vault docs (OCI-NOTES §2.2, §2.5).
 */
import type { OciKey, OciResource } from "../oci/oci-ports.js";
import type { Finding, FindingCode, FindingSeverity, Inventory, InventoryKey } from "./inventory.js";
import { parseInstant, requireInstant } from "../time/instant.js";
import { currentKeyVersionOf, wholeDaysBetween } from "./key-age.js";
import { lineageLinks } from "./key-lineages.js";
import { isDeletionState, isDisabledState, isPrimaryCopy, isUsableKeyState } from "./key-lifecycle.js";
import { countOf, describeResource, isMovableVolume, isVolumeFamily } from "./resource-kinds.js";

/** An inventory before its findings are judged. */
export type InventoryFacts = Omit<Inventory, "findings">;

const SEVERITY_ORDER: Record<FindingSeverity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

function finding(code: FindingCode, severity: FindingSeverity, keyId: string | null, resourceId: string | null, message: string): Finding {
  return { code, severity, keyId, resourceId, message };
}

function keyLabel(ik: InventoryKey): string {
  return `Key "${ik.key.displayName}"`;
}

/**
 * KEY_NOT_READABLE (high): a key named by a resource's kmsKeyId, a predecessor tag or a key list
 * that GetKey / ListKeyVersions could not read. `why` is the failure in words (no secrets).
 */
export function keyNotReadableFinding(keyId: string, resource: OciResource | null, why: string): Finding {
  const subject = resource ? `${describeResource(resource)} uses key ${keyId}, which` : `Key ${keyId}`;
  return finding("KEY_NOT_READABLE", "high", keyId, resource?.id ?? null, `${subject} could not be read (${why}): not rotated, not re-keyed.`);
}

/** Stable order: severity, then code, key id, resource id. */
export function sortFindings(findings: Finding[]): Finding[] {
  const text = (s: string | null) => s ?? "";
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.code.localeCompare(b.code) ||
      text(a.keyId).localeCompare(text(b.keyId)) ||
      text(a.resourceId).localeCompare(text(b.resourceId)),
  );
}

/** The policy the findings judge against (config `policy`). */
export interface FindingsPolicy {
  /** Cryptoperiod of a key version, days (rule 2). */
  rotationIntervalDays: number;
}

/**
 * The findings for one in-scope key; `resources` are the in-scope resources using it. `retiredIn`
 * names the head of the volume lineage when the key is one of its retired keys (not the head).
 */
function keyFindings(ik: InventoryKey, resources: OciResource[], asOf: string, policy: FindingsPolicy | null, retiredIn: InventoryKey | null): Finding[] {
  const { key } = ik;
  const out: Finding[] = [];
  const id = key.id;
  const volumeFamily = resources.filter((r) => isVolumeFamily(r.kind));
  const buckets = resources.filter((r) => r.kind === "bucket");

  if (!isPrimaryCopy(ik)) {
    // B13, seen only through a replica (its primary vault is outside the scope compartments).
    out.push(finding("REPLICA_KEY", "medium", id, null,
      `${keyLabel(ik)} is seen only as a read-only copy in replica vault "${ik.vault.displayName}"${ik.vault.region ? ` (${ik.vault.region})` : ""}; it can only be rotated through its primary vault, which is not in scope: not rotated.`));
  }
  if (isDeletionState(key.lifecycleState)) {
    const when = key.timeOfDeletion ? ` (deletion on ${key.timeOfDeletion})` : "";
    out.push(finding("KEY_PENDING_DELETION", "medium", id, null, `${keyLabel(ik)} is ${key.lifecycleState}${when}: left out of rotation (rule 8).`));
    for (const r of resources) {
      out.push(finding("RESOURCE_ON_KEY_PENDING_DELETION", "critical", id, r.id,
        `${describeResource(r)} still uses key "${key.displayName}", which is ${key.lifecycleState}${when}: its data becomes unreadable when the key is deleted (rule 8).`));
    }
  }
  if (retiredIn !== null) {
    // A retired key of a volume lineage keeps its material unchanged for the backups made with it
    // (DESIGN §3), so a bucket on it can never get a new version: the bucket, not the lineage, is
    // the problem (the volumes keep rotating through the head).
    for (const b of buckets) {
      out.push(finding("BUCKET_ON_RETIRED_VOLUME_KEY", "high", id, b.id,
        `${describeResource(b)} uses key "${key.displayName}", a retired key of the volume key lineage now headed by "${retiredIn.key.displayName}": buckets need a new key version and retired volume keys are kept unchanged for backups, so it is not re-encrypted; give the bucket its own key.`));
    }
  } else if (volumeFamily.length > 0 && buckets.length > 0) {
    out.push(finding("KEY_SERVES_VOLUMES_AND_BUCKETS", "high", id, null,
      `${keyLabel(ik)} serves ${volumeFamily.length} Block Volume resource(s) and ${countOf(buckets.length, "bucket")}: buckets need a new key version, volumes a successor key, so it cannot be rotated correctly for both: not rotated.`));
  }
  if (key.protectionMode === "EXTERNAL") {
    out.push(finding("EXTERNAL_KEY", "high", id, null,
      `${keyLabel(ik)} has protection mode EXTERNAL: its key material lives outside OCI, so keyproof cannot create a version or successor: not rotated.`));
  }
  if (key.algorithm !== "AES") {
    for (const r of resources.filter((x) => isMovableVolume(x.kind))) {
      // B15: Block Volume encrypts with AES keys only; no UpdateVolumeKmsKey is sent.
      out.push(finding("NON_AES_KEY_FOR_VOLUME", "high", id, r.id,
        `${describeResource(r)} uses ${key.algorithm} key "${key.displayName}": incompatible key algorithm – AES required; not re-keyed.`));
    }
  }
  if (isDisabledState(key.lifecycleState)) {
    out.push(finding("KEY_DISABLED", "high", id, null,
      `${keyLabel(ik)} is ${key.lifecycleState}: resources on it cannot use it and no version can be created: not rotated.`));
  }
  if (key.isAutoRotationEnabled) {
    out.push(...autoRotationFindings(ik, asOf));
    if (volumeFamily.length > 0) {
      // OCI Block Volume docs: keys with a single version only; volumes never follow a new version.
      out.push(finding("AUTO_ROTATION_ON_VOLUME_KEY", "high", id, null,
        `${keyLabel(ik)} has native auto-rotation on and is used by ${volumeFamily.length} Block Volume resource(s): native auto-rotation makes new key versions but does not re-key volumes (Block Volume supports keys with a single version only), so keyproof moves the volumes to a successor key instead.`));
    } else if (policy !== null) {
      out.push(...autoRotationPolicyFindings(ik, asOf, policy));
    }
  }
  const liveVersions = ik.versions.filter((v) => v.lifecycleState !== "DELETED");
  if (volumeFamily.length > 0 && liveVersions.length > 1) {
    // OCI Block Volume docs: keys with a single version only; behaviour with several is undefined.
    out.push(finding("VOLUME_KEY_HAS_MULTIPLE_VERSIONS", "medium", id, null,
      `${keyLabel(ik)} is used by Block Volume resources and has ${liveVersions.length} versions; Block Volume supports keys with a single version only (rotate volumes to a successor key instead; the volumes' cryptoperiod runs from the key's oldest version).`));
  }
  return out;
}

/**
 * Rule 2 against the *policy* interval (a key's own auto-rotation schedule is context, never
 * proof): a current version whose whole-day age reached rotationIntervalDays is high; an
 * auto-rotation interval longer than the policy's, while the version is still young, is medium
 * (the schedule will let it lapse).
 */
function autoRotationPolicyFindings(ik: InventoryKey, asOf: string, policy: FindingsPolicy): Finding[] {
  const { key } = ik;
  if (isDeletionState(key.lifecycleState) || isDisabledState(key.lifecycleState)) return [];
  const interval = key.autoRotation?.rotationIntervalInDays ?? null;
  const every = interval !== null ? ` every ${interval} days` : "";
  const current = currentKeyVersionOf(ik);
  const created = parseInstant(current?.timeCreated);
  if (created) {
    const age = wholeDaysBetween(created.iso, asOf);
    if (age >= policy.rotationIntervalDays) {
      return [finding("AUTO_ROTATION_BEHIND_POLICY", "high", key.id, null,
        `${keyLabel(ik)} has native auto-rotation${every}, but its current version is ${age} days old, past the ${policy.rotationIntervalDays}-day policy interval: non-compliant (rule 2: auto-rotation is context, never proof).`)];
    }
  }
  if (interval !== null && interval > policy.rotationIntervalDays) {
    return [finding("AUTO_ROTATION_BEHIND_POLICY", "medium", key.id, null,
      `${keyLabel(ik)} has native auto-rotation every ${interval} days, longer than the ${policy.rotationIntervalDays}-day policy interval: its versions will outlive the policy unless the interval is shortened.`)];
  }
  return [];
}

/**
 * LINEAGE_LINK_REJECTED for every `predecessor` tag between two in-scope keys that the lineage
 * refuses (other vault, algorithm, length or protection mode), and LINEAGE_FORK for every key
 * with two or more successors, naming the branch the lineage continues from (its head).
 */
function lineageFindings(inventory: InventoryFacts): Finding[] {
  const byId = new Map<string, OciKey>(inventory.keys.map((k) => [k.key.id, k.key]));
  const name = (id: string) => `"${byId.get(id)?.displayName ?? id}"`;
  const links = lineageLinks([...byId.values()]);
  const out: Finding[] = [];
  for (const r of links.rejected) {
    out.push(finding("LINEAGE_LINK_REJECTED", "high", r.successorId, null,
      `Key ${name(r.successorId)} names key ${name(r.predecessorId)} as its predecessor, but a successor keeps its predecessor's vault, algorithm, length and protection mode (${r.mismatches.join(", ")}): the link is ignored and the keys are not joined into one lineage.`));
  }
  for (const fork of links.forks) {
    const lineage = inventory.lineages.find((l) => l.keyIds.includes(fork.predecessorId));
    const branches = fork.successorIds.map((id) => `${name(id)} (${byId.get(id)?.lifecycleState ?? "unknown"})`).join(", ");
    const headState = lineage ? byId.get(lineage.headKeyId)?.lifecycleState ?? "unknown" : "";
    const head = !lineage ? ""
      : isUsableKeyState(headState) ? ` The lineage continues from ${name(lineage.headKeyId)} (${headState}), the newest ENABLED one.`
        : ` The lineage's head is ${name(lineage.headKeyId)} (${headState}).`;
    out.push(finding("LINEAGE_FORK", "high", fork.predecessorId, null,
      `Key ${name(fork.predecessorId)} has ${fork.successorIds.length} successor keys (${branches}): a sign of a double rotation.${head}`));
  }
  return out;
}

/**
 * Native auto-rotation is context, never proof (rule 2): FAILED is an exception of its own, and a
 * schedule that is not happening (next rotation in the past, or a current version older than the
 * key's own auto-rotation interval) is one too.
 */
function autoRotationFindings(ik: InventoryKey, asOf: string): Finding[] {
  const { key } = ik;
  const details = key.autoRotation;
  const out: Finding[] = [];
  if (details?.lastRotationStatus === "FAILED") {
    const when = details.timeOfLastRotation ? ` at ${details.timeOfLastRotation}` : "";
    const why = details.lastRotationMessage ? ` (${details.lastRotationMessage})` : "";
    out.push(finding("AUTO_ROTATION_FAILED", "high", key.id, null, `${keyLabel(ik)}: the last native auto-rotation${when} FAILED${why}.`));
  }
  if (isDeletionState(key.lifecycleState) || isDisabledState(key.lifecycleState)) return out;
  const problems: string[] = [];
  const next = parseInstant(details?.timeOfNextRotation);
  if (details?.timeOfNextRotation && next && next.epochMs < requireInstant(asOf, "asOf").epochMs) {
    problems.push(`its next rotation was due at ${details.timeOfNextRotation}`);
  }
  const current = currentKeyVersionOf(ik);
  const interval = details?.rotationIntervalInDays ?? null;
  if (current && interval !== null) {
    const age = wholeDaysBetween(current.timeCreated, asOf);
    if (age > interval) problems.push(`its current version is ${age} days old, past its ${interval}-day auto-rotation interval`);
  }
  if (problems.length > 0) {
    out.push(finding("AUTO_ROTATION_NOT_HAPPENING", "high", key.id, null,
      `${keyLabel(ik)} has native auto-rotation on, but ${problems.join(" and ")}.`));
  }
  return out;
}

/**
 * Judges an inventory as of `asOf` (UTC ISO): every finding about its keys, replica copies,
 * lineages and resources, in a stable order. Collection failures (KEY_NOT_READABLE) come from the
 * collector.
 * - REPLICA_KEY (low) once per replica copy: a read-only copy, never a second failure (B13);
 * - ORACLE_MANAGED_KEY (medium) per resource without a key: "not eligible – Oracle-managed key" (B17);
 * - per key: see {@link keyFindings} (pending deletion, both kinds, EXTERNAL, non-AES behind a
 *   volume (B15), disabled, auto-rotation failed / not happening / on a volume key / behind the
 *   policy, volume key with several versions, bucket on a retired volume key);
 * - per lineage: rejected predecessor links and forks.
 * `policy` enables the checks against the policy interval (AUTO_ROTATION_BEHIND_POLICY); without
 * it they are left out, never guessed.
 * @throws TypeError when `asOf` or a current version's timeCreated is not an instant.
 */
export function findInventoryFindings(inventory: InventoryFacts, asOf: string, policy?: FindingsPolicy): Finding[] {
  const out: Finding[] = [];
  const byKey = new Map<string, OciResource[]>();
  for (const r of inventory.resources) {
    if (r.kmsKeyId === null) {
      out.push(finding("ORACLE_MANAGED_KEY", "medium", null, r.id, `${describeResource(r)} has no customer-managed key: not eligible – Oracle-managed key.`));
    } else {
      byKey.set(r.kmsKeyId, [...(byKey.get(r.kmsKeyId) ?? []), r]);
    }
  }
  const keysById = new Map(inventory.keys.map((k) => [k.key.id, k]));
  const retiredIn = new Map<string, InventoryKey>();
  for (const lineage of inventory.lineages) {
    const head = keysById.get(lineage.headKeyId);
    if (!head || lineage.keyIds.length < 2) continue;
    for (const id of lineage.keyIds) if (id !== lineage.headKeyId) retiredIn.set(id, head);
  }
  for (const ik of inventory.keys) {
    out.push(...keyFindings(ik, byKey.get(ik.key.id) ?? [], asOf, policy ?? null, retiredIn.get(ik.key.id) ?? null));
  }
  out.push(...lineageFindings(inventory));
  for (const copy of inventory.replicaCopies ?? []) {
    const primary = inventory.keys.find((k) => k.key.id === copy.key.id);
    const where = copy.vault.region ? ` (${copy.vault.region})` : "";
    const primaryWhere = primary?.vault.region ? ` in ${primary.vault.region}` : "";
    out.push(finding("REPLICA_KEY", "low", copy.key.id, null,
      `Key "${copy.key.displayName}" in replica vault "${copy.vault.displayName}"${where} is a read-only copy of the primary${primaryWhere}: reported once under its primary and rotated only through the primary vault's management endpoint.`));
  }
  return sortFindings(out);
}
