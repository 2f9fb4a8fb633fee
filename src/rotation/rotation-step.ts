/**
 * How the engine records what it does (issue 4 §5): every OCI call and every decision of a run is
 * one `rotation_step` row, with attempts, `opc-request-id`, work request id and error, written
 * "running" before the call and finished after it, so a crash mid-call is visible. The step is
 * also kept in memory for the run result ({@link RunStep}).
 */
import type { Kysely } from "kysely";
import type { Config } from "../app/config.js";
import type { Logger } from "../app/logger.js";
import { OciCallError, type OciPorts } from "../oci/oci-ports.js";
import { finishRotationStep, insertRotationStep, type RotationStepStatus } from "../store/rotation-records.js";
import type { Database } from "../store/schema.js";
import { formatInstant, type Clock } from "../time/instant.js";
import type { KeyLease } from "./key-lease.js";
import type { KeyRotationOutcome, RunError, RunStep, StepStatus } from "./rotation-run-result.js";

/**
 * A recorded step, as the {@link ExecuteDeps.afterStep} hook sees it; or, with `operation`
 * `<Operation>Answered` (status "in-progress"), the moment OCI answered a write and nothing of the
 * answer is recorded yet ({@link announceAnswer}: the crash hook's point for "killed while the call
 * was in flight").
 */
export interface StepEvent {
  runId: number;
  keyId: string;
  operation: string;
  status: StepStatus;
  resourceId: string | null;
}

/** What executing a plan needs. */
export interface ExecuteDeps {
  db: Kysely<Database>;
  oci: OciPorts;
  clock: Clock;
  logger: Logger;
  config: Pick<Config, "rotation">;
  /** Waits between polls (work requests, a successor key becoming ENABLED). */
  sleep: (ms: number) => Promise<void>;
  /** Called after each step is recorded (the test-only crash hook, crash-hook.ts). */
  afterStep?: (event: StepEvent) => void;
  /** Called when a plan item is finished: its outcome, items finished so far and in all (progress). */
  onKeyDone?: (outcome: KeyRotationOutcome, done: number, total: number) => void;
}

/** One key's work within a run: the lease held, its slot, and the steps recorded so far. */
export interface KeyWork {
  deps: ExecuteDeps;
  runId: number;
  /** The key the lease and slot are on (for a lineage, the key whose slot is rotated). */
  keyId: string;
  slot: string | null;
  lease: KeyLease | null;
  /** When the lease was last taken or renewed (epoch ms of deps.clock); see {@link keepLease}. */
  leaseRenewedAtMs?: number;
  log: Logger;
  steps: RunStep[];
}

/** What a successful call reports besides its value. */
export interface StepReport<T> {
  value: T;
  /** Default "succeeded"; a call can succeed at HTTP level and still fail the step (a read-back of the wrong key). */
  status?: StepStatus;
  /** HTTP attempts; reads through OciPorts report none, so 1 stands for "answered". */
  attempts?: number;
  opcRequestId?: string | null;
  workRequestId?: string | null;
  detail?: Record<string, unknown>;
  /** Required when status is "failed": why (one sentence, no secrets). */
  error?: string;
}

export type StepResult<T> =
  | { ok: true; value: T; status: StepStatus; step: RunStep }
  | { ok: false; error: RunError; step: RunStep };

const now = (work: KeyWork) => formatInstant(work.deps.clock.now().getTime());

/** A lease is renewed when a tenth of its lifetime has passed since it was last renewed. */
const RENEW_AFTER_FRACTION = 10;

/**
 * Keeps the key's lease: renews it (one store write) once a tenth of `leaseTtlMs` has passed since
 * it was taken or last renewed, else does nothing. Renewing at every step would add a write per
 * OCI call to a run of thousands, and gains nothing: another run can only take the lease over
 * after it expired, i.e. after a whole `leaseTtlMs` without renewal, and any step after that long
 * does renew, and so finds out.
 * @throws LeaseLostError when another run took the lease over.
 */
export async function keepLease(work: KeyWork): Promise<void> {
  if (!work.lease) return;
  const at = work.deps.clock.now().getTime();
  if (work.leaseRenewedAtMs !== undefined && at - work.leaseRenewedAtMs < work.deps.config.rotation.leaseTtlMs / RENEW_AFTER_FRACTION) return;
  await work.lease.renew();
  work.leaseRenewedAtMs = at;
}

/**
 * Tells the afterStep hook that OCI answered `operation` (a write) and nothing of the answer is
 * recorded yet: `<operation>Answered` (crash-hook.ts `KEYPROOF_TEST_CRASH_AFTER=ReencryptBucketAnswered`).
 */
export function announceAnswer(work: KeyWork, operation: string, resourceId: string | null): void {
  work.deps.afterStep?.({ runId: work.runId, keyId: work.keyId, operation: `${operation}Answered`, status: "in-progress", resourceId });
}

/** The run-result form of a failure: an OciCallError keeps OCI's ids; anything else is an engine check. */
export function toRunError(operation: string, error: unknown): RunError {
  if (error instanceof OciCallError) {
    return {
      operation, message: error.message, reason: error.reason, statusCode: error.statusCode, serviceCode: error.serviceCode,
      opcRequestId: error.opcRequestId, attempts: error.attempts,
    };
  }
  return { operation, message: error instanceof Error ? error.message : String(error), reason: null, statusCode: null, serviceCode: null, opcRequestId: null, attempts: 0 };
}

/** An engine check that failed (no OCI error behind it). */
export function checkError(operation: string, message: string, opcRequestId: string | null = null, attempts = 1): RunError {
  return { operation, message, reason: null, statusCode: null, serviceCode: null, opcRequestId, attempts };
}

async function finish(work: KeyWork, id: number, step: RunStep, detail: Record<string, unknown>): Promise<void> {
  await finishRotationStep(work.deps.db, id, {
    status: step.status as RotationStepStatus, attempts: step.attempts, opcRequestId: step.opcRequestId, workRequestId: step.workRequestId,
    detail, error: step.error?.message ?? null, finishedAt: step.finishedAt ?? now(work),
  });
  announce(work, step);
}

/** Keeps the step for the run result, logs it and tells the afterStep hook (after it is stored). */
function announce(work: KeyWork, step: RunStep): void {
  work.steps.push(step);
  const level = step.status === "failed" ? "warn" : "info";
  work.log[level](
    { step: step.operation, status: step.status, resourceId: step.resourceId, attempts: step.attempts, opcRequestId: step.opcRequestId, workRequestId: step.workRequestId, error: step.error?.message },
    `${step.operation} ${step.status}`,
  );
  work.deps.afterStep?.({ runId: work.runId, keyId: work.keyId, operation: step.operation, status: step.status, resourceId: step.resourceId });
}

/**
 * Runs one OCI call as a recorded step: keeps the lease ({@link keepLease}; LeaseLostError stops
 * the key before the call), inserts the step "running", calls, and finishes the step with what happened. An
 * OciCallError becomes `{ ok: false }` with OCI's code, request id and attempts; any other error
 * is recorded and rethrown.
 */
export async function runStep<T>(
  work: KeyWork,
  operation: string,
  resourceId: string | null,
  call: () => Promise<StepReport<T>>,
): Promise<StepResult<T>> {
  await keepLease(work);
  const startedAt = now(work);
  const id = await insertRotationStep(work.deps.db, {
    runId: work.runId, keyId: work.keyId, slot: work.slot, resourceId, operation, status: "running", attempts: 0,
    opcRequestId: null, workRequestId: null, detail: {}, error: null, startedAt, finishedAt: null,
  });
  let report: StepReport<T>;
  try {
    report = await call();
  } catch (error) {
    const runError = toRunError(operation, error);
    const step: RunStep = {
      operation, status: "failed", resourceId, attempts: runError.attempts, opcRequestId: runError.opcRequestId, workRequestId: null,
      error: runError, startedAt, finishedAt: now(work),
    };
    // outcomeUnknown: OCI may have applied a write that is not safe to repeat (with-retry.ts); the caller looks before re-sending.
    const unknown = error instanceof OciCallError && error.outcomeUnknown ? { outcomeUnknown: true } : {};
    await finish(work, id, step, { reason: runError.reason, statusCode: runError.statusCode, serviceCode: runError.serviceCode, ...unknown });
    if (!(error instanceof OciCallError)) throw error;
    return { ok: false, error: runError, step };
  }
  const status = report.status ?? "succeeded";
  const opcRequestId = report.opcRequestId ?? null;
  const attempts = report.attempts ?? 1;
  const error = status === "failed" ? checkError(operation, report.error ?? `${operation} did not have the expected effect`, opcRequestId, attempts) : null;
  const step: RunStep = {
    operation, status, resourceId, attempts, opcRequestId, workRequestId: report.workRequestId ?? null, error, startedAt, finishedAt: now(work),
  };
  await finish(work, id, step, report.detail ?? {});
  return error ? { ok: false, error, step } : { ok: true, value: report.value, status, step };
}

/**
 * Records a step that is not one OCI call: an engine decision (LeaseBusy, SlotCompleted,
 * AdoptKeyVersion, Preflight, ...) or the summary of several reads (GetWorkRequest polls).
 */
export async function recordDecision(
  work: KeyWork,
  operation: string,
  outcome: {
    status: StepStatus;
    resourceId?: string | null;
    detail?: Record<string, unknown>;
    error?: RunError | null;
    attempts?: number;
    opcRequestId?: string | null;
    workRequestId?: string | null;
  },
): Promise<RunStep> {
  await keepLease(work);
  const at = now(work);
  const step: RunStep = {
    operation, status: outcome.status, resourceId: outcome.resourceId ?? null, attempts: outcome.attempts ?? 0,
    opcRequestId: outcome.opcRequestId ?? null, workRequestId: outcome.workRequestId ?? null, error: outcome.error ?? null, startedAt: at, finishedAt: at,
  };
  await insertRotationStep(work.deps.db, {
    runId: work.runId, keyId: work.keyId, slot: work.slot, resourceId: step.resourceId, operation, status: step.status, attempts: step.attempts,
    opcRequestId: step.opcRequestId, workRequestId: step.workRequestId, detail: outcome.detail ?? {}, error: step.error?.message ?? null,
    startedAt: at, finishedAt: at,
  });
  announce(work, step);
  return step;
}
