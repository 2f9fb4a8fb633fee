/**
 * The state one strategy works on (execute-key-version.ts, execute-successor-key.ts): the slot's
 * idempotency record and re-key records, kept in step with the store, and how a strategy's
 * result becomes a key outcome.
 */
import type { OciResource, OciVault } from "../oci/oci-ports.js";
import {
  findRotationLease,
  updateRotationSlot,
  upsertRotationRekey,
  type LeaseGuard,
  type RotationRekeyRecord,
  type RotationRekeyStatus,
  type RotationSlotRecord,
} from "../store/rotation-records.js";
import { formatInstant } from "../time/instant.js";
import type { InventoryKey } from "./inventory.js";
import { LeaseLostError } from "./key-lease.js";
import type { KeyWork } from "./rotation-step.js";
import type { KeyOutcomeStatus, RekeyStatus, ResourceRekeyOutcome, RunError } from "./rotation-run-result.js";

export interface SlotWork extends KeyWork {
  slot: string;
  /** The slot's idempotency record as stored (kept current by {@link updateSlot}). */
  record: RotationSlotRecord;
  /** True when the slot existed before this run (a crash, a failure, a resource left in progress). */
  resumed: boolean;
  /** The key the slot rotates (for volumes: the predecessor) and its vault. */
  key: InventoryKey;
  vault: OciVault;
  /** Every key of the inventory the run works from (a resumed slot looks for its successor there). */
  inventoryKeys: readonly InventoryKey[];
  /** The in-scope resources of the slot's strategy (buckets, or volumes and boot volumes), with the plan's verdict. */
  resources: { resource: OciResource; notEligibleReason: string | null }[];
  /** Re-key records of the slot by resource id. */
  rekeys: Map<string, RotationRekeyRecord>;
}

/** What a strategy reports; execute-plan.ts adds the plan's fields. */
export interface StrategyOutcome {
  status: KeyOutcomeStatus;
  newKeyVersionId: string | null;
  successorKeyId: string | null;
  createdThisRun: boolean;
  reason: string | null;
  error: RunError | null;
  resources: ResourceRekeyOutcome[];
  /** timeCreated of the new current version (or successor's), when this run learnt it. */
  currentVersionCreated: string | null;
}

/** The key version the slot starts from: the part after `@` (`<keyId>@<currentKeyVersionId>`, rotation-plan.ts). */
export function baseVersionOf(slot: string): string {
  return slot.slice(slot.lastIndexOf("@") + 1);
}

/** The lease every slot and re-key write of `w` is made under (execute-plan.ts takes it before the slot). */
export function leaseGuardOf(w: KeyWork): LeaseGuard {
  if (!w.lease) throw new Error(`slot ${w.slot} of key ${w.keyId}: a slot is only written under the key's lease`);
  return { keyId: w.lease.keyId, holder: w.lease.holder };
}

/**
 * A slot or re-key write the store refused (rotation-records.ts): the lease is no longer ours, or
 * the record was closed by another run. Either way another run has the key: stop.
 * @throws LeaseLostError always.
 */
async function refused(w: SlotWork, what: string): Promise<never> {
  const lease = await findRotationLease(w.deps.db, w.keyId);
  if (lease?.holder !== w.lease?.holder) throw new LeaseLostError(w.keyId);
  throw new LeaseLostError(w.keyId, `${what} was already closed by another run (the store keeps it as it is); this run stops working on key ${w.keyId}`);
}

/**
 * Writes the slot's record under the lease (rotation-records.ts updateRotationSlot: never once
 * completed or superseded) and keeps `w.record` in step.
 * @throws LeaseLostError when the store refused the write: the run stops working on the key.
 */
export async function updateSlot(
  w: SlotWork,
  patch: Partial<Pick<RotationSlotRecord, "status" | "newKeyVersionId" | "successorKeyId" | "retryToken">>,
): Promise<void> {
  const updatedAt = formatInstant(w.deps.clock.now().getTime());
  if (!(await updateRotationSlot(w.deps.db, w.keyId, w.slot, { ...patch, updatedAt }, leaseGuardOf(w)))) {
    await refused(w, `slot ${w.slot}`);
  }
  Object.assign(w.record, patch, { updatedAt });
}

/**
 * Writes one resource's re-key record under the lease (rotation-records.ts upsertRotationRekey:
 * never once succeeded) and keeps `w.rekeys` in step. `updatedAt` defaults to now; a "pending"
 * record written after a call whose outcome is unknown keeps the instant the call was sent, from
 * which the next attempt looks for what it did.
 * @throws LeaseLostError when the store refused the write: the run stops working on the key.
 */
export async function setRekey(
  w: SlotWork,
  resource: OciResource,
  status: RotationRekeyStatus,
  fields: { workRequestId?: string | null; percentComplete?: number | null; detail?: string | null; updatedAt?: string } = {},
): Promise<void> {
  const record: RotationRekeyRecord = {
    keyId: w.keyId, slot: w.slot, resourceId: resource.id, resourceKind: resource.kind, status,
    workRequestId: fields.workRequestId ?? null, percentComplete: fields.percentComplete ?? null, detail: fields.detail ?? null,
    updatedAt: fields.updatedAt ?? formatInstant(w.deps.clock.now().getTime()),
  };
  if (!(await upsertRotationRekey(w.deps.db, record, leaseGuardOf(w)))) {
    await refused(w, `the re-key record of ${resource.kind} ${resource.id} for slot ${w.slot}`);
  }
  w.rekeys.set(resource.id, record);
}

export function resourceOutcome(
  resource: OciResource,
  status: RekeyStatus,
  fields: Partial<Pick<ResourceRekeyOutcome, "operation" | "workRequestId" | "opcRequestId" | "detail" | "error">> = {},
): ResourceRekeyOutcome {
  return {
    resourceId: resource.id, kind: resource.kind, displayName: resource.displayName, status,
    operation: fields.operation ?? null, workRequestId: fields.workRequestId ?? null, opcRequestId: fields.opcRequestId ?? null,
    detail: fields.detail ?? null, error: fields.error ?? null,
  };
}

/**
 * Marks not-eligible resources (B15, B17: never sent to OCI) and returns their outcomes; the
 * others are left to the strategy.
 */
export async function recordNotEligible(w: SlotWork): Promise<ResourceRekeyOutcome[]> {
  const out: ResourceRekeyOutcome[] = [];
  for (const { resource, notEligibleReason } of w.resources) {
    if (notEligibleReason === null) continue;
    // A resource already re-keyed for the slot stays so (the store would refuse the change anyway).
    const status = w.rekeys.get(resource.id)?.status;
    if (status !== "not-eligible" && status !== "succeeded") await setRekey(w, resource, "not-eligible", { detail: notEligibleReason });
    out.push(resourceOutcome(resource, "not-eligible", { detail: notEligibleReason }));
  }
  return out;
}

/**
 * Ends a slot whose new version / successor exists: `completed` when every resource is done (or
 * not eligible), else it stays open for the next run. The key outcome: `rotated` / `rekeyed` when
 * all is done, `partial` otherwise.
 */
export async function closeSlot(
  w: SlotWork,
  outcome: Omit<StrategyOutcome, "status" | "reason" | "error">,
): Promise<StrategyOutcome> {
  const open = outcome.resources.filter((r) => r.status === "failed" || r.status === "in-progress");
  if (open.length === 0) await updateSlot(w, { status: "completed" });
  const failed = open.filter((r) => r.status === "failed").length;
  const running = open.length - failed;
  return {
    ...outcome,
    status: open.length > 0 ? "partial" : outcome.createdThisRun ? "rotated" : "rekeyed",
    reason: open.length > 0 ? `${failed} re-key(s) failed and ${running} in progress; the next run resumes slot ${w.slot}` : null,
    error: open.find((r) => r.error)?.error ?? null,
  };
}
