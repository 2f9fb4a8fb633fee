/**
 * The JSON form of a rotation plan (`keyproof rotate --dry-run --json`). Field names are a stable
 * contract for scripts: `schemaVersion` changes when a field is removed or changes meaning;
 * new fields may be added. Unknown times are null.
 */
import type { OciResource } from "../oci/oci-ports.js";
import type { FindingSeverity, Inventory } from "./inventory.js";
import { PLAN_ACTIONS, PLAN_STATUSES, type PlanAction, type PlanResource, type PlanStatus, type RotationPlan, type RotationStrategy } from "./rotation-plan.js";

export interface PlanJsonResource {
  kind: OciResource["kind"];
  id: string;
  displayName: string;
  compartmentId: string;
  kmsKeyId: string | null;
  action: PlanResource["action"];
  reason: string | null;
}

export interface PlanJsonItem {
  keyId: string;
  keyName: string;
  vaultId: string;
  vaultName: string;
  vaultRegion: string | null;
  compartmentId: string;
  strategy: RotationStrategy;
  status: PlanStatus;
  action: PlanAction;
  reason: string;
  currentKeyVersionId: string;
  currentVersionCreated: string | null;
  currentVersionAgeDays: number | null;
  dueAt: string | null;
  /** What the age and dueAt are measured from (PlanItem.ageFrom); null when unknown. */
  ageFrom: string | null;
  slot: string;
  lineageKeyIds: string[];
  resources: PlanJsonResource[];
}

export interface PlanJson {
  schemaVersion: 1;
  asOf: string;
  observedAt: string;
  summary: {
    keys: number;
    byAction: Record<PlanAction, number>;
    byStatus: Record<PlanStatus, number>;
    resourcesToRekey: number;
    /** Every not-eligible resource: those of items (skipped ones included) and the plan's own list ({@link notEligibleResources}). */
    notEligible: number;
    findings: Record<FindingSeverity, number>;
  };
  items: PlanJsonItem[];
  notEligible: PlanJsonResource[];
  replicaCopies: Array<{ keyId: string; keyName: string; vaultId: string; vaultName: string; region: string | null }>;
  findings: Array<{ code: string; severity: FindingSeverity; keyId: string | null; resourceId: string | null; message: string }>;
}

function resourceJson(r: PlanResource): PlanJsonResource {
  const { resource } = r;
  return {
    kind: resource.kind, id: resource.id, displayName: resource.displayName, compartmentId: resource.compartmentId,
    kmsKeyId: resource.kmsKeyId, action: r.action, reason: r.reason,
  };
}

/** True when the resource is re-keyed by the item (ReencryptBucket or a move to the successor). */
export function isRekeyAction(r: PlanResource): boolean {
  return r.action === "reencrypt-bucket" || r.action === "move-to-successor";
}

/**
 * Every resource the plan does not re-key for a reason: the not-eligible resources of its items
 * (skipped items included: their resources are not re-keyed either), then the plan's own
 * `notEligible` list. The dry-run table and the JSON count the same list.
 */
export function notEligibleResources(plan: RotationPlan): PlanResource[] {
  return [...plan.items.flatMap((i) => i.resources.filter((r) => r.action === "not-eligible")), ...(plan.notEligible ?? [])];
}

/** The plan and the inventory's findings as plain JSON-ready data (fields picked explicitly, in a fixed order). */
export function planToJson(plan: RotationPlan, inventory: Inventory): PlanJson {
  const regions = new Map(inventory.vaults.map((v) => [v.id, v.region]));
  const count = <K extends string>(keys: readonly K[], values: K[]) =>
    Object.fromEntries(keys.map((k) => [k, values.filter((v) => v === k).length])) as Record<K, number>;
  const items = plan.items.map((item): PlanJsonItem => ({
    keyId: item.keyId,
    keyName: item.keyName,
    vaultId: item.vaultId,
    vaultName: item.vaultName,
    vaultRegion: regions.get(item.vaultId) ?? null,
    compartmentId: item.compartmentId,
    strategy: item.strategy,
    status: item.status,
    action: item.action,
    reason: item.reason,
    currentKeyVersionId: item.currentKeyVersionId,
    currentVersionCreated: item.currentVersionCreated || null,
    currentVersionAgeDays: item.currentVersionCreated ? item.currentVersionAgeDays : null,
    dueAt: item.dueAt || null,
    ageFrom: (item.ageFrom ?? item.currentVersionCreated) || null,
    slot: item.slot,
    lineageKeyIds: [...item.lineageKeyIds],
    resources: item.resources.map(resourceJson),
  }));
  return {
    schemaVersion: 1,
    asOf: plan.asOf,
    observedAt: inventory.observedAt,
    summary: {
      keys: plan.items.length,
      byAction: count(PLAN_ACTIONS, plan.items.map((i) => i.action)),
      byStatus: count(PLAN_STATUSES, plan.items.map((i) => i.status)),
      resourcesToRekey: plan.items.reduce((n, i) => n + i.resources.filter(isRekeyAction).length, 0),
      notEligible: notEligibleResources(plan).length,
      findings: count(["critical", "high", "medium", "low"], inventory.findings.map((f) => f.severity)),
    },
    items,
    notEligible: (plan.notEligible ?? []).map(resourceJson),
    replicaCopies: (inventory.replicaCopies ?? []).map((c) => ({
      keyId: c.key.id, keyName: c.key.displayName, vaultId: c.vault.id, vaultName: c.vault.displayName, region: c.vault.region,
    })),
    findings: inventory.findings.map((f) => ({ code: f.code, severity: f.severity, keyId: f.keyId, resourceId: f.resourceId, message: f.message })),
  };
}
