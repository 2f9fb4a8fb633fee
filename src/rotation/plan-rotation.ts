/**
 * The rotation plan (pure): for each key lineage of an {@link Inventory}, as of one instant, what
 * is due and what the engine will do. DESIGN §3 (rules 1, 2, 8, 9, "How a rotation works"), cases
 * B11, B13, B15, B17; the engine (`keyproof rotate`) executes it, `--dry-run` prints it.
 */
import type { Config } from "../app/config.js";
import type { OciResource } from "../oci/oci-ports.js";
import { requireInstant } from "../time/instant.js";
import type { Finding, Inventory, InventoryKey, KeyLineage } from "./inventory.js";
import { planLineage, type PlanContext } from "./plan-lineage.js";
import type { PlanItem, PlanResource, RotationPlan } from "./rotation-plan.js";

/**
 * Plans every lineage of `inventory` as of `asOf` (any instant text; the plan holds it as
 * canonical UTC ISO).
 *
 * Per lineage (a key in no lineage is planned as a lineage of one; details in `planLineage`):
 * - strategy: `successor-key` when Block Volume resources use the lineage or it has several keys
 *   (even with native auto-rotation on: it never re-keys volumes); `native-auto-rotation` when the
 *   rotated key has isAutoRotationEnabled (action `verify`: never rotated; status `overdue` once
 *   the current version is past the policy interval, else `auto-rotation`); `key-version` for
 *   bucket keys; `none` when no in-scope resource uses the lineage (action `none`: a key carrying
 *   only the scope tag is never rotated, since untagged volumes on it would get a second version);
 * - status from the age (rule 1, B11): `overdue` at ≥ rotationIntervalDays, `due` at
 *   ≥ rotationIntervalDays − leadDays, else `not-due`; `dueAt` = ageFrom + interval, where ageFrom
 *   is the current version's timeCreated, or for a volume lineage the oldest live version of the
 *   oldest key a volume still sits on (Block Volume does not follow key versions);
 * - action: `rotate` when due or overdue; `rekey` when the head is not due but a volume or boot
 *   volume is still on an older key of the lineage (bucket re-encryption state is not visible here:
 *   the engine decides it from its records); `skip` (status `cannot-rotate`) with the finding's
 *   reason when a finding blocks it (both kinds on one key, EXTERNAL, disabled, unreadable,
 *   replica (B13), non-AES key behind volumes (B15)); `none` otherwise.
 * Lineages whose keys are all being deleted are left out (rule 8). Resources no item covers
 * (Oracle-managed key B17, unreadable key, key pending deletion) are listed in `notEligible`.
 * A lineage that cannot be planned becomes a `cannot-rotate` item; the others carry on.
 * Items are ordered by dueAt (unknown last), then key name and id.
 * @throws TypeError when `asOf` is not an instant.
 */
export function planRotation(
  inventory: Inventory,
  policy: Pick<Config["policy"], "rotationIntervalDays">,
  rotation: Pick<Config["rotation"], "leadDays">,
  asOf: string,
): RotationPlan {
  const at = requireInstant(asOf, "asOf").iso;
  const ctx: PlanContext = {
    keysById: new Map(inventory.keys.map((k) => [k.key.id, k])),
    resourcesByKey: groupByKey(inventory.resources),
    resourceOrder: new Map(inventory.resources.map((r, i) => [r.id, i])),
    findings: inventory.findings,
    intervalDays: policy.rotationIntervalDays,
    leadDays: rotation.leadDays,
    asOf: at,
  };
  const items: PlanItem[] = [];
  for (const lineage of lineagesOf(inventory)) {
    try {
      const item = planLineage(ctx, lineage);
      if (item) items.push(item);
    } catch (err) {
      const head = ctx.keysById.get(lineage.headKeyId);
      if (head) items.push(unplannable(head, lineage, err));
    }
  }
  items.sort(byDueThenName);
  const covered = new Set(items.flatMap((item) => item.resources.map((r) => r.resource.id)));
  const notEligible = inventory.resources
    .filter((r) => !covered.has(r.id))
    .map((resource): PlanResource => ({ resource, action: "not-eligible", reason: uncoveredReason(resource, inventory.findings, ctx.keysById) }));
  return { asOf: at, items, ...(notEligible.length > 0 ? { notEligible } : {}) };
}

function groupByKey(resources: OciResource[]): Map<string, OciResource[]> {
  const byKey = new Map<string, OciResource[]>();
  for (const r of resources) if (r.kmsKeyId !== null) byKey.set(r.kmsKeyId, [...(byKey.get(r.kmsKeyId) ?? []), r]);
  return byKey;
}

/** The inventory's lineages, plus a lineage of one for any key no lineage lists (each key planned once). */
function lineagesOf(inventory: Inventory): KeyLineage[] {
  const seen = new Set<string>();
  const out: KeyLineage[] = [];
  for (const lineage of inventory.lineages) {
    const keyIds = lineage.keyIds.filter((id) => !seen.has(id));
    keyIds.forEach((id) => seen.add(id));
    if (keyIds.length > 0) out.push({ headKeyId: keyIds.includes(lineage.headKeyId) ? lineage.headKeyId : keyIds.at(-1)!, keyIds });
  }
  for (const { key } of inventory.keys) if (!seen.has(key.id)) out.push({ headKeyId: key.id, keyIds: [key.id] });
  return out;
}

function unplannable(head: InventoryKey, lineage: KeyLineage, err: unknown): PlanItem {
  return {
    keyId: head.key.id, keyName: head.key.displayName, vaultId: head.vault.id, vaultName: head.vault.displayName,
    compartmentId: head.key.compartmentId, strategy: "none", status: "cannot-rotate", action: "skip",
    reason: `Could not be planned: ${err instanceof Error ? err.message : String(err)}.`,
    currentKeyVersionId: head.key.currentKeyVersionId, currentVersionCreated: "", currentVersionAgeDays: 0, dueAt: "", ageFrom: "",
    slot: `${head.key.id}@${head.key.currentKeyVersionId}`, lineageKeyIds: lineage.keyIds, resources: [],
  };
}

function uncoveredReason(resource: OciResource, findings: Finding[], keysById: Map<string, InventoryKey>): string {
  const own = findings.find((f) => f.resourceId === resource.id);
  if (own) return own.message;
  if (resource.kmsKeyId === null) return "not eligible – Oracle-managed key";
  const key = keysById.get(resource.kmsKeyId);
  if (key) return `key "${key.key.displayName}" is ${key.key.lifecycleState}: not rotated (rule 8)`;
  return `key ${resource.kmsKeyId} is not in the inventory: not re-keyed`;
}

function byDueThenName(a: PlanItem, b: PlanItem): number {
  if (a.dueAt !== b.dueAt) {
    if (a.dueAt === "") return 1;
    if (b.dueAt === "") return -1;
    return a.dueAt < b.dueAt ? -1 : 1;
  }
  return a.keyName.localeCompare(b.keyName) || a.keyId.localeCompare(b.keyId);
}
