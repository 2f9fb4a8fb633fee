/**
 * The rotation use case, `rotate(deps, input)` (STYLE §2; issue 4): the one function the CLI
 * (`keyproof rotate`), the scheduler and HTTP call. It records a `rotation_run`, collects the
 * inventory, plans as of the clock's now, and either returns the plan (dry run: nothing is sent
 * to OCI) or executes it (execute-plan.ts), then records how the run ended with its findings and
 * sends the optional signals (run-signals.ts).
 *
 * A run holds a lease of its own for its whole life (`rotation_lease` key `run:<id>`, renewed
 * every third of `leaseTtlMs`): its heartbeat. A run left "running" by a process that was killed
 * has no live lease once `leaseTtlMs` passed, and the next run marks it "abandoned" before it
 * starts its own work.
 */
import { z } from "zod";
import type { Deps } from "../app/deps.js";
import type { Logger } from "../app/logger.js";
import { AppError, ValidationError } from "../app/errors.js";
import type { OciPorts } from "../oci/oci-ports.js";
import {
  abandonStaleRotationRuns,
  acquireRotationLease,
  finishRotationRun,
  insertRotationRun,
  releaseRotationLease,
  renewRotationLease,
} from "../store/rotation-records.js";
import { formatInstant } from "../time/instant.js";
import { setLongTimeout } from "../time/long-timeout.js";
import { collectInventory } from "./collect-inventory.js";
import { executePlan } from "./execute-plan.js";
import type { Inventory } from "./inventory.js";
import { newHolderId } from "./key-lease.js";
import { planRotation } from "./plan-rotation.js";
import type { PlanItem, RotationPlan } from "./rotation-plan.js";
import type { KeyRotationOutcome, RotationRunResult, RunError } from "./rotation-run-result.js";
import { toRunError, type StepEvent } from "./rotation-step.js";
import { buildRunSummary } from "./run-summary.js";
import { runStatusOf } from "./run-status.js";
import { sendRunSignals } from "./run-signals.js";

export const RotateInput = z
  .object({
    /** Plan only: print what would happen, send nothing to OCI (the run is still recorded, dry_run = 1). */
    dryRun: z.boolean().default(false),
    /** Only this key, or the lineage containing it. */
    keyId: z.string().regex(/^ocid1\.key\./, "expected a key OCID (ocid1.key....)").nullish(),
    /** Who started the run (rotation_run.trigger). */
    trigger: z.enum(["cli", "schedule", "http", "test"]).default("cli"),
    /**
     * Keys worked on at the same time (each under its own lease). Enough of them that the KMS
     * writes, paced at config.rotation.kmsWritesPerSecond, are never waiting for a key whose other
     * calls (re-encryptions, volume moves, read-backs, polls) are still under way (default 32).
     */
    concurrency: z.number().int().min(1).max(256).default(32),
  })
  .strict();
export type RotateInput = z.input<typeof RotateInput>;

export interface RotateDeps extends Pick<Deps, "config" | "store" | "logger" | "clock"> {
  oci: OciPorts;
  /** Waits between polls; default: a real timer (never longer than Node's 24.8-day limit, B25). */
  sleep?: (ms: number) => Promise<void>;
  /** Called after every recorded step (crash-hook.ts, tests). */
  afterStep?: (event: StepEvent) => void;
  /** Called as each planned key finishes (outcome, finished so far, total): the CLI's progress bar. */
  onKeyDone?: (outcome: KeyRotationOutcome, done: number, total: number) => void;
  /** Lease holder id; default `<hostname>:<pid>:<random>`. */
  holder?: string;
}

/** The run result (rotation-run-result.ts) plus the plan and inventory it was made from (null when they could not be read). */
export interface RotateResult extends RotationRunResult {
  plan: RotationPlan | null;
  inventory: Inventory | null;
}

/** The key of the lease a run holds for its whole life (its heartbeat, see the file comment). */
export function runLeaseKey(runId: number): string {
  return `run:${runId}`;
}

const ABANDONED = "the process running it stopped before the run finished (none of its leases was renewed within leaseTtlMs); steps still \"running\" were in flight then";

/** A real wait; setLongTimeout chains timers past Node's 24.8-day limit (B25). */
const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setLongTimeout(resolve, ms));

function dryRunOutcome(item: PlanItem): KeyRotationOutcome {
  const status = item.action === "verify" ? "verified" : item.action === "none" ? "not-due" : "skipped";
  return {
    keyId: item.keyId, keyName: item.keyName, vaultId: item.vaultId, compartmentId: item.compartmentId, strategy: item.strategy,
    action: item.action, status, slot: item.action === "rotate" || item.action === "rekey" ? item.slot : null,
    newKeyVersionId: null, successorKeyId: null, createdThisRun: false, currentVersionCreated: item.currentVersionCreated || null,
    reason: status === "skipped" && item.action !== "skip" ? `dry run: ${item.reason}` : item.reason, error: null, steps: [], resources: [],
  };
}

/**
 * Runs the rotation engine once.
 * @returns the run result; OCI failures of keys and resources are in it, never thrown.
 * @throws ValidationError on bad input; AppError NOT_FOUND when `keyId` is not in the plan (the
 *   run is recorded "skipped" with that error); store errors as they come (the run is recorded
 *   "failed" when the store still answers).
 */
export async function rotate(deps: RotateDeps, rawInput: RotateInput = {}): Promise<RotateResult> {
  const parsed = RotateInput.safeParse(rawInput);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(input)"}: ${i.message}`);
    throw new ValidationError(`rotate: ${problems.join("; ")}`, problems);
  }
  const input = parsed.data;
  const { db } = deps.store;
  const now = () => formatInstant(deps.clock.now().getTime());
  const startedAt = now();
  const holder = deps.holder ?? newHolderId();
  const ttlMs = deps.config.rotation.leaseTtlMs;
  const expiry = () => formatInstant(deps.clock.now().getTime() + ttlMs);
  // ORDER: the run and its lease in one transaction, so no other run ever sees this one
  // "running" without a live lease (and marks it abandoned).
  const runId = await db.transaction().execute(async (trx) => {
    const id = await insertRotationRun(trx, { startedAt, trigger: input.trigger, dryRun: input.dryRun, holder, keyFilter: input.keyId ?? null });
    await acquireRotationLease(trx, { keyId: runLeaseKey(id), holder, runId: id, now: startedAt, expiresAt: expiry() });
    return id;
  });
  const log = deps.logger.child({ job: "rotation", runId });
  const heartbeat = setInterval(() => {
    renewRotationLease(db, { keyId: runLeaseKey(runId), holder, expiresAt: expiry() }).catch((error: unknown) =>
      log.warn({ err: error instanceof Error ? error.message : String(error) }, "run lease could not be renewed"));
  }, Math.max(50, Math.floor(ttlMs / 3)));
  heartbeat.unref();
  try {
    return await runRotation(deps, input, { runId, holder, startedAt, log });
  } finally {
    clearInterval(heartbeat);
    await releaseRotationLease(db, { keyId: runLeaseKey(runId), holder }).catch(() => undefined);
  }
}

async function runRotation(
  deps: RotateDeps,
  input: z.output<typeof RotateInput>,
  run: { runId: number; holder: string; startedAt: string; log: Logger },
): Promise<RotateResult> {
  const { db } = deps.store;
  const { runId, holder, startedAt, log } = run;
  const now = () => formatInstant(deps.clock.now().getTime());
  log.info({ dryRun: input.dryRun, keyFilter: input.keyId ?? null, holder }, "rotation run started");
  const abandoned = await abandonStaleRotationRuns(db, { now: now(), exceptRunId: runId, reason: ABANDONED });
  if (abandoned.length > 0) log.info({ abandonedRunIds: abandoned }, "runs left running by a process that stopped are marked abandoned");

  const base = { runId, trigger: input.trigger, dryRun: input.dryRun, startedAt };
  const finish = async (
    fields: { keys: KeyRotationOutcome[]; plan: RotationPlan | null; inventory: Inventory | null; error: RunError | null; status?: RotationRunResult["status"] },
  ): Promise<RotateResult> => {
    const findings = fields.inventory?.findings ?? [];
    const result: RotateResult = {
      ...base, status: fields.status ?? runStatusOf(fields.keys, fields.error !== null, findings), finishedAt: now(),
      keys: fields.keys, findings, error: fields.error, plan: fields.plan, inventory: fields.inventory,
    };
    await finishRotationRun(db, runId, {
      finishedAt: result.finishedAt, status: result.status, summary: buildRunSummary(result.keys, result.plan, findings), error: result.error?.message ?? null,
    });
    log.info({ status: result.status, keys: result.keys.length, findings: findings.length }, "rotation run finished");
    return result;
  };

  let inventory: Inventory;
  let plan: RotationPlan;
  try {
    inventory = await collectInventory(deps.oci, { scope: deps.config.scope, now: startedAt, concurrency: deps.config.rotation.readConcurrency, policy: deps.config.policy });
    plan = planRotation(inventory, deps.config.policy, deps.config.rotation, startedAt);
  } catch (error) {
    // The run as a whole failed: nothing can be judged without the inventory (rule 7: never a silent zero).
    log.error({ err: error instanceof Error ? error.message : String(error) }, "inventory could not be collected");
    const result = await finish({ keys: [], plan: null, inventory: null, error: toRunError("Inventory", error) });
    await signal(deps, result);
    return result;
  }

  if (input.keyId && !plan.items.some((i) => i.keyId === input.keyId || i.lineageKeyIds.includes(input.keyId!))) {
    const message = `key ${input.keyId} is not in the rotation plan (not in scope, not readable, or pending deletion)`;
    await finish({ keys: [], plan, inventory, error: null, status: "skipped" }).catch(() => undefined);
    throw new AppError("NOT_FOUND", message);
  }

  if (input.dryRun) {
    const keys = plan.items.filter((i) => !input.keyId || i.keyId === input.keyId || i.lineageKeyIds.includes(input.keyId)).map(dryRunOutcome);
    return finish({ keys, plan, inventory, error: null, status: "skipped" });
  }

  let keys: KeyRotationOutcome[];
  try {
    keys = await executePlan(
      { db, oci: deps.oci, clock: deps.clock, logger: log, config: deps.config, sleep: deps.sleep ?? realSleep, ...(deps.afterStep ? { afterStep: deps.afterStep } : {}), ...(deps.onKeyDone ? { onKeyDone: deps.onKeyDone } : {}) },
      { runId, holder, plan, inventory, keyId: input.keyId ?? null, concurrency: input.concurrency },
    );
  } catch (error) {
    await finish({ keys: [], plan, inventory, error: toRunError("Execute", error) }).catch(() => undefined);
    throw error;
  }
  const result = await finish({ keys, plan, inventory, error: null });
  await signal(deps, result);
  return result;
}

/** The optional ONS message and Monitoring metrics (issue 4 §6); never throws, never changes the result. */
async function signal(deps: RotateDeps, result: RotateResult): Promise<void> {
  if (result.dryRun || (!deps.config.signals.topicId && !deps.config.signals.metricsCompartmentId)) return;
  await sendRunSignals({ signals: deps.oci.signals, config: deps.config, clock: deps.clock, logger: deps.logger, db: deps.store.db }, result);
}
