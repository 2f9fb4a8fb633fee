/**
 * Executes a rotation plan (DESIGN §3 "How a rotation works", §7 "Exactly one new key version"):
 * per plan item, the lease on the key, the slot's idempotency record, then the strategy
 * (execute-key-version.ts for buckets, execute-successor-key.ts for volumes). One item that fails
 * does not stop the others (rule 9); every item gets an outcome.
 *
 * Exactly once, per item:
 * 1. The lease (`rotation_lease`): a second process working on the same key at the same time
 *    records `LeaseBusy` and leaves the key to the holder.
 * 2. The slot (`rotation_slot`, key + `<keyId>@<currentKeyVersionId>`) is written before the first
 *    OCI write, with the retry token derived from key and slot. A slot already completed (a timer
 *    that fired twice, a second process with an older plan: B22) is a logged no-op,
 *    `SlotCompleted`. A slot left open by an earlier run (crash, failure, bucket still
 *    re-encrypting) is resumed, even when the plan now says "not due" (the new version it made
 *    is what made the key young again).
 * 3. `rotation_rekey` per resource: a resumed slot re-keys only what is not done.
 */
import {
  claimRotationSlot,
  findOpenRotationSlots,
  findRotationLease,
  findRotationRekeys,
  updateRotationSlot,
  type RotationSlotRecord,
} from "../store/rotation-records.js";
import { formatInstant } from "../time/instant.js";
import { executeKeyVersion } from "./execute-key-version.js";
import { executeSuccessorKey, successorPreflight } from "./execute-successor-key.js";
import type { Inventory, InventoryKey } from "./inventory.js";
import { acquireKeyLease, LeaseLostError } from "./key-lease.js";
import { isMovableVolume } from "./resource-kinds.js";
import { rotationRetryToken } from "./retry-token.js";
import type { PlanItem, RotationPlan } from "./rotation-plan.js";
import { checkError, recordDecision, toRunError, type ExecuteDeps, type KeyWork } from "./rotation-step.js";
import type { KeyRotationOutcome, ResourceRekeyOutcome } from "./rotation-run-result.js";
import { leaseGuardOf, resourceOutcome, type SlotWork, type StrategyOutcome } from "./slot-work.js";

export interface ExecutePlanInput {
  runId: number;
  /** This run's lease holder id (key-lease.ts newHolderId). */
  holder: string;
  plan: RotationPlan;
  /** The inventory the plan was made from. */
  inventory: Inventory;
  /** Only the item of this key or of the lineage containing it. */
  keyId?: string | null;
  /** Items worked on at the same time (default 4); each holds its own lease. */
  concurrency?: number;
}

type SlotStrategy = "key-version" | "successor-key";

/**
 * Runs every item of `plan` (optionally one key's) and returns one outcome per item, in plan
 * order. Never throws for OCI failures or lost leases (they are outcomes); store failures throw.
 */
export async function executePlan(deps: ExecuteDeps, input: ExecutePlanInput): Promise<KeyRotationOutcome[]> {
  const items = input.plan.items.filter((item) => !input.keyId || item.keyId === input.keyId || item.lineageKeyIds.includes(input.keyId));
  const lineageKeys = [...new Set(items.flatMap((i) => i.lineageKeyIds))];
  const open = await findOpenRotationSlots(deps.db, lineageKeys);
  const keysById = new Map(input.inventory.keys.map((k) => [k.key.id, k]));
  const outcomes: KeyRotationOutcome[] = new Array(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      outcomes[index] = await executeItem(deps, input, items[index]!, open, keysById);
      deps.onKeyDone?.(outcomes[index]!, ++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(input.concurrency ?? 4, items.length)) }, worker));
  return outcomes;
}

function outcomeOf(item: PlanItem, fields: Partial<KeyRotationOutcome> & Pick<KeyRotationOutcome, "status">): KeyRotationOutcome {
  return {
    keyId: item.keyId, keyName: item.keyName, vaultId: item.vaultId, compartmentId: item.compartmentId, strategy: item.strategy,
    action: item.action, slot: null, newKeyVersionId: null, successorKeyId: null, createdThisRun: false,
    currentVersionCreated: item.currentVersionCreated || null, reason: item.reason, error: null, steps: [], resources: [], ...fields,
  };
}

function planResourceOutcomes(item: PlanItem): ResourceRekeyOutcome[] {
  return item.resources
    .filter((r) => r.action === "not-eligible")
    .map((r) => resourceOutcome(r.resource, "not-eligible", { detail: r.reason }));
}

async function executeItem(
  deps: ExecuteDeps,
  input: ExecutePlanInput,
  item: PlanItem,
  openSlots: RotationSlotRecord[],
  keysById: Map<string, InventoryKey>,
): Promise<KeyRotationOutcome> {
  const log = deps.logger.child({ job: "rotation", runId: input.runId, keyId: item.keyId });
  if (item.action === "verify") return outcomeOf(item, { status: "verified" });
  const work: KeyWork = { deps, runId: input.runId, keyId: item.keyId, slot: null, lease: null, log, steps: [] };
  if (item.action === "skip") {
    // Rule 9: a finding blocks this key; recorded with its reason, the run carries on.
    await recordDecision(work, "Skip", { status: "skipped", detail: { status: item.status, reason: item.reason } });
    return outcomeOf(item, { status: "skipped", steps: work.steps, resources: planResourceOutcomes(item) });
  }

  const open = openSlots.find((s) => item.lineageKeyIds.includes(s.keyId)) ?? null;
  const supersede = open !== null && item.action === "rotate" && open.slot !== item.slot;
  if (open === null && item.action === "none") return outcomeOf(item, { status: "not-due" });

  const resume = open !== null && !supersede;
  const target = resume
    ? { keyId: open.keyId, slot: open.slot, strategy: open.strategy as SlotStrategy }
    : { keyId: item.keyId, slot: item.slot, strategy: item.strategy as SlotStrategy };
  work.keyId = target.keyId;
  work.slot = target.slot;
  work.log = log.child({ slot: target.slot });
  const key = keysById.get(target.keyId);
  if (!key || (target.strategy !== "key-version" && target.strategy !== "successor-key")) {
    const error = checkError("Plan", key ? `strategy ${target.strategy} cannot be executed` : `key ${target.keyId} is not in the inventory`);
    await recordDecision(work, "Plan", { status: "failed", error });
    return outcomeOf(item, { status: "failed", slot: target.slot, error, reason: error.message, steps: work.steps });
  }
  if (target.strategy === "successor-key") {
    const why = successorPreflight(key.key);
    if (why) {
      // B15: nothing is written: no slot, no CreateKey, no UpdateVolumeKmsKey.
      await recordDecision(work, "Preflight", { status: "skipped", detail: { algorithm: key.key.algorithm }, error: checkError("Preflight", why, null, 0) });
      const resources = item.resources
        .filter((r) => isMovableVolume(r.resource.kind) || r.action === "not-eligible")
        .map((r) => resourceOutcome(r.resource, "not-eligible", { detail: r.action === "not-eligible" && r.reason ? r.reason : why }));
      return outcomeOf(item, { status: "skipped", reason: why, steps: work.steps, resources });
    }
  }

  const lease = await acquireKeyLease({ db: deps.db, clock: deps.clock, ttlMs: deps.config.rotation.leaseTtlMs }, target.keyId, input.holder, input.runId);
  if (!lease) {
    await recordDecision(work, "LeaseBusy", { status: "skipped", detail: { slot: target.slot } });
    log.info({ slot: target.slot }, "another run holds the lease on this key: logged no-op");
    return outcomeOf(item, { status: "skipped", slot: target.slot, reason: "another run holds the lease on this key and is rotating it", steps: work.steps });
  }
  work.lease = lease;
  work.leaseRenewedAtMs = deps.clock.now().getTime();
  try {
    const strategyOutcome = await runSlot(work, item, target, key, keysById, { resume, supersede: supersede ? open : null });
    if ("noop" in strategyOutcome) return outcomeOf(item, { ...strategyOutcome.noop, steps: work.steps });
    return outcomeOf(item, {
      ...strategyOutcome,
      slot: target.slot,
      currentVersionCreated: strategyOutcome.currentVersionCreated ?? (strategyOutcome.status === "failed" ? item.currentVersionCreated || null : null),
      reason: strategyOutcome.reason ?? (strategyOutcome.createdThisRun ? `rotated (slot ${target.slot})` : `resumed slot ${target.slot}`),
      steps: work.steps,
    });
  } catch (error) {
    if (!(error instanceof LeaseLostError)) throw error;
    log.warn({ slot: target.slot }, error.message);
    const runError = toRunError("Lease", error);
    return outcomeOf(item, { status: "failed", slot: target.slot, error: runError, reason: runError.message, steps: work.steps });
  } finally {
    await lease.release();
  }
}

async function runSlot(
  work: KeyWork,
  item: PlanItem,
  target: { keyId: string; slot: string; strategy: SlotStrategy },
  key: InventoryKey,
  keysById: Map<string, InventoryKey>,
  how: { resume: boolean; supersede: RotationSlotRecord | null },
): Promise<StrategyOutcome | { noop: Partial<KeyRotationOutcome> & Pick<KeyRotationOutcome, "status"> }> {
  const { deps } = work;
  const now = formatInstant(deps.clock.now().getTime());
  // A "rekey" item (successor exists, volumes behind it) with no open slot: the head is the target.
  const adopted = !how.resume && item.action === "rekey" ? { status: "rotated" as const, successorKeyId: item.keyId } : {};
  const { record, created } = await claimRotationSlot(deps.db, {
    keyId: target.keyId, slot: target.slot, strategy: target.strategy, retryToken: rotationRetryToken(target.keyId, target.slot),
    firstRunId: work.runId, createdAt: now, ...adopted,
  });
  if (record.status === "completed") {
    // B22: the same slot again (a timer that fired twice, a second process with an older plan).
    await recordDecision(work, "SlotCompleted", { status: "skipped", detail: { firstRunId: record.firstRunId, newKeyVersionId: record.newKeyVersionId, successorKeyId: record.successorKeyId } });
    work.log.info({ slot: target.slot, firstRunId: record.firstRunId }, "slot already rotated: logged no-op");
    return {
      noop: {
        status: "skipped", slot: target.slot, newKeyVersionId: record.newKeyVersionId, successorKeyId: record.successorKeyId,
        reason: `slot ${target.slot} was already rotated by run ${record.firstRunId}: nothing to do`,
      },
    };
  }
  if (how.supersede && created) {
    // The key is due again while an older slot is unfinished: the new slot re-keys every resource
    // to the newest material, which covers what the old one left, so it is closed, not resumed.
    // Under this run's lease on the new slot's key; refused when the old slot was closed meanwhile
    // (then there is nothing to supersede) or when the lease is no longer ours (then we stop).
    const superseded = await updateRotationSlot(deps.db, how.supersede.keyId, how.supersede.slot, { status: "superseded", updatedAt: now }, leaseGuardOf(work));
    if (!superseded && (await findRotationLease(deps.db, target.keyId))?.holder !== work.lease?.holder) throw new LeaseLostError(target.keyId);
    await recordDecision(work, "SupersedeSlot", { status: superseded ? "succeeded" : "skipped", detail: { superseded: how.supersede.slot, alreadyClosed: !superseded } });
  }

  const strategyResources = item.resources.filter((r) =>
    target.strategy === "key-version" ? r.resource.kind === "bucket" && r.resource.kmsKeyId === target.keyId : isMovableVolume(r.resource.kind));
  const slotWork: SlotWork = {
    ...work,
    slot: target.slot,
    record,
    resumed: !created,
    key,
    vault: key.vault,
    inventoryKeys: [...keysById.values()],
    resources: strategyResources.map((r) => ({ resource: r.resource, notEligibleReason: r.action === "not-eligible" ? r.reason ?? "not eligible" : null })),
    rekeys: new Map((await findRotationRekeys(deps.db, target.keyId, target.slot)).map((r) => [r.resourceId, r])),
  };
  // The strategies push to work.steps through the shared array.
  return target.strategy === "key-version" ? executeKeyVersion(slotWork) : executeSuccessorKey(slotWork);
}
