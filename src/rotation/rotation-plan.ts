/**
 * The rotation plan: for each key or lineage, what is due and what the engine will do. Pure data
 * built by `plan-rotation.ts` from an {@link Inventory} and the policy as of one instant (UTC).
 */
import type { OciResource } from "../oci/oci-ports.js";

/**
 * - `key-version`: buckets follow key versions: CreateKeyVersion, then ReencryptBucket per bucket.
 * - `successor-key`: Block Volume supports keys with a single version only (OCI Block Volume docs):
 *   create a successor key, move each volume to it, read back, keep the predecessor.
 * - `native-auto-rotation`: the key rotates itself (isAutoRotationEnabled); verify, never rotate.
 * - `none`: nothing keyproof can or should rotate (no in-scope resource, finding blocks it).
 */
export type RotationStrategy = "key-version" | "successor-key" | "native-auto-rotation" | "none";

/**
 * not-due / due (within the lead time before the cryptoperiod ends) / overdue (past it; also a
 * native auto-rotation key whose current version is past the policy interval, rule 2) /
 * cannot-rotate / auto-rotation (native auto-rotation within the policy interval).
 */
export type PlanStatus = "not-due" | "due" | "overdue" | "cannot-rotate" | "auto-rotation";

export type PlanAction =
  /** Nothing to do. */
  | "none"
  /** Create the new key version or successor key, then re-key every resource. */
  | "rotate"
  /** The new version/successor exists, some resources are not re-keyed to it yet. */
  | "rekey"
  /** Native auto-rotation: check it, never rotate. */
  | "verify"
  /** Blocked by a finding (the reason says which). */
  | "skip";

/** Every PlanStatus once, in the order reports count them (format-plan.ts, plan-to-json.ts). */
export const PLAN_STATUSES = ["overdue", "due", "not-due", "auto-rotation", "cannot-rotate"] as const satisfies readonly PlanStatus[];

/** Every PlanAction once, in the order reports count them (format-plan.ts, plan-to-json.ts). */
export const PLAN_ACTIONS = ["rotate", "rekey", "verify", "skip", "none"] as const satisfies readonly PlanAction[];

/** `true` only when `List` names every member of `Union`: a compile error here means a list above misses a member. */
type ListsEvery<Union, List extends readonly unknown[]> = [Union] extends [List[number]] ? true : false;
const _everyStatus: ListsEvery<PlanStatus, typeof PLAN_STATUSES> = true;
const _everyAction: ListsEvery<PlanAction, typeof PLAN_ACTIONS> = true;
void _everyStatus;
void _everyAction;

export type ResourceAction =
  | "reencrypt-bucket"
  | "move-to-successor"
  /** Already under the newest version/key. */
  | "none"
  /** Oracle-managed key, non-AES key, ... (reason). */
  | "not-eligible";

export interface PlanResource {
  resource: OciResource;
  action: ResourceAction;
  reason: string | null;
}

export interface PlanItem {
  /** The key rotated: for a lineage, its head (the key volumes should be on). */
  keyId: string;
  keyName: string;
  vaultId: string;
  vaultName: string;
  compartmentId: string;
  strategy: RotationStrategy;
  status: PlanStatus;
  action: PlanAction;
  /** Why this action (one sentence), always set. */
  reason: string;
  currentKeyVersionId: string;
  /**
   * timeCreated of the current key version (rule 1: age is measured from it). When it is unknown
   * (versions unreadable; only on `cannot-rotate` items) this and `dueAt` are "" and the age 0.
   */
  currentVersionCreated: string;
  /** Whole days from {@link PlanItem.ageFrom} (floor, never negative). */
  currentVersionAgeDays: number;
  /** ageFrom + rotationIntervalDays (UTC). */
  dueAt: string;
  /**
   * The instant the age, status and dueAt are measured from (UTC ISO; "" when unknown). Equal to
   * currentVersionCreated for key-version and native auto-rotation items (rule 1). For a
   * successor-key item it is the timeCreated of the oldest live (not DELETED) version of the oldest
   * key a volume or boot volume still sits on, the head included: Block Volume does not follow key
   * versions (OCI Block Volume docs: keys with a single version only), so the volumes' key
   * material dates from when they got the key, and a CreateKeyVersion on it resets nothing.
   * Absent on items built before this field existed: read it as currentVersionCreated.
   */
  ageFrom?: string;
  /**
   * The due slot: the idempotency identity of this rotation, `<keyId>@<currentKeyVersionId>`.
   * The same slot from two processes or two timer firings means the same rotation (B22).
   */
  slot: string;
  /** Oldest → newest, the head last (one element for a bucket key). */
  lineageKeyIds: string[];
  resources: PlanResource[];
}

export interface RotationPlan {
  /** The instant the plan was made for (UTC). */
  asOf: string;
  items: PlanItem[];
  /**
   * In-scope resources that no item covers, each `not-eligible` with its reason: Oracle-managed key
   * (B17), a key that could not be read, a key pending deletion (rule 8). Absent = none.
   */
  notEligible?: PlanResource[];
}
