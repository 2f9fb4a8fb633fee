/**
 * What one run of the rotation engine did, as plain data: the engine (`rotate.ts`) returns it,
 * the signals (`run-signals.ts`: ONS message, Monitoring metrics, monthly summary) and the CLI
 * read it. All instants are canonical UTC ISO strings (`2026-03-08T13:00:00.000Z`); durations
 * are milliseconds. No secrets: error texts are OCI's code and message, never request headers.
 */
import type { OciFailureReason, ResourceKind } from "../oci/oci-ports.js";
import type { Finding } from "./inventory.js";
import type { PlanAction, RotationStrategy } from "./rotation-plan.js";

/** DESIGN §3 / issue 4 §5: succeeded / partial / failed / skipped (nothing was due or allowed). */
export type RunStatus = "succeeded" | "partial" | "failed" | "skipped";

/** Same vocabulary as `rotation_step.status`. */
export type StepStatus = "succeeded" | "failed" | "in-progress" | "skipped";

/** Why a step, key or resource failed: the last error after the retry layer gave up. */
export interface RunError {
  /** OCI operation (`CreateKeyVersion`, `ReencryptBucket`, ...) or engine check (`VerifyReadBack`). */
  operation: string;
  /** One sentence, no secrets. */
  message: string;
  /** From OciCallError when the failure was an OCI call; null for engine checks. */
  reason: OciFailureReason | null;
  statusCode: number | null;
  /** OCI's error code (`TooManyRequests`, `NotAuthorizedOrNotFound`, ...). */
  serviceCode: string | null;
  /** `opc-request-id` of the last attempt, when OCI answered. */
  opcRequestId: string | null;
  attempts: number;
}

/** One OCI call (or engine decision) of the run, as recorded in `rotation_step`. */
export interface RunStep {
  operation: string;
  status: StepStatus;
  /** The resource the step acted on; null for key-level steps. */
  resourceId: string | null;
  attempts: number;
  opcRequestId: string | null;
  workRequestId: string | null;
  error: RunError | null;
  startedAt: string;
  finishedAt: string | null;
}

/**
 * - `succeeded`: re-keyed (ReencryptBucket work request SUCCEEDED/COMPLETED, or the volume's key
 *   read back as the successor; DESIGN §3 rule 5).
 * - `in-progress`: work request still running when the run stopped waiting.
 * - `failed`: the re-key failed or a 200 was not confirmed by read-back.
 * - `not-eligible`: Oracle-managed key, non-AES key for a volume, ... (reason in `detail`).
 * - `skipped`: already re-keyed for this slot, or the key's rotation failed first.
 */
export type RekeyStatus = "succeeded" | "in-progress" | "failed" | "not-eligible" | "skipped";

export interface ResourceRekeyOutcome {
  resourceId: string;
  kind: ResourceKind;
  displayName: string;
  status: RekeyStatus;
  /** ReencryptBucket / UpdateVolumeKmsKey / UpdateBootVolumeKmsKey. */
  operation: string | null;
  workRequestId: string | null;
  opcRequestId: string | null;
  /** Why not eligible or skipped; null otherwise. */
  detail: string | null;
  error: RunError | null;
}

/**
 * What happened to one key (or lineage head):
 * - `rotated`: new key version / successor key created in this run and every resource re-keyed;
 * - `rekeyed`: the new version / successor already existed (earlier run of the same slot) and the
 *   remaining resources were re-keyed now;
 * - `partial`: new material exists, some resources failed or are still in progress;
 * - `failed`: the key's own rotation step failed (nothing new exists);
 * - `verified`: native auto-rotation checked, never rotated;
 * - `not-due` / `skipped` (finding, lease held elsewhere, dry run).
 */
export type KeyOutcomeStatus = "rotated" | "rekeyed" | "partial" | "failed" | "verified" | "not-due" | "skipped";

export interface KeyRotationOutcome {
  keyId: string;
  keyName: string;
  vaultId: string;
  compartmentId: string;
  strategy: RotationStrategy;
  /** The plan's action for this key. */
  action: PlanAction;
  status: KeyOutcomeStatus;
  /** `<keyId>@<currentKeyVersionId>` (rotation-plan.ts), null when nothing was due. */
  slot: string | null;
  /** Created by this run (`rotated`) or found from an earlier run of the slot (`rekeyed`). */
  newKeyVersionId: string | null;
  successorKeyId: string | null;
  /** True when this run created the new key version or successor key (one per slot, ever). */
  createdThisRun: boolean;
  /**
   * timeCreated of the key's current version after the run (for a lineage: the head's current
   * version); the age metric is measured from it (DESIGN §3 rule 1). Null when unknown.
   */
  currentVersionCreated: string | null;
  /** Why skipped / not due / failed, one sentence. */
  reason: string | null;
  /** The failure of the key's own rotation step; resource failures are on `resources`. */
  error: RunError | null;
  steps: RunStep[];
  resources: ResourceRekeyOutcome[];
}

export interface RotationRunResult {
  /** rotation_run.id. */
  runId: number;
  status: RunStatus;
  /** "cli" | "schedule" | "http" | "test" (rotation_run.trigger). */
  trigger: string;
  dryRun: boolean;
  startedAt: string;
  finishedAt: string;
  keys: KeyRotationOutcome[];
  /** Findings of the inventory this run worked from (open findings at `finishedAt`). */
  findings: Finding[];
  /** A failure of the run as a whole (inventory unreadable, store down); null otherwise. */
  error: RunError | null;
}

/**
 * The reason of a key that was not rotated, led by the failure kind so a reader sees "throttled"
 * before the details (cases B03: "not rotated – throttled"), e.g.
 * `not rotated – throttled: CreateKeyVersion: 429 TooManyRequests: ... (after 6 attempts)`.
 */
export function notRotatedReason(error: RunError | null | undefined, fallback: string): string {
  if (!error) return `not rotated – ${fallback}`;
  return `not rotated – ${error.reason ?? "failed"}: ${error.message}`;
}
