/**
 * Queries for the rotation engine's records (issue 4, DESIGN §7 "Exactly one new key version"):
 * `rotation_run` and `rotation_step` (the evidence of every run and OCI call), `rotation_lease`
 * (one worker per key), `rotation_slot` (the idempotency record of one due rotation) and
 * `rotation_rekey` (per resource of a slot). Query functions take `db` first so they run inside a
 * transaction too (STYLE §6, §7); instants are canonical ISO UTC text, compared as text. The same
 * statements run on SQLite (>= 3.35: upsert with WHERE and RETURNING) and PostgreSQL.
 */
import type { Kysely, Selectable } from "kysely";
import type { Database, RotationLeaseTable, RotationRekeyTable, RotationRunTable, RotationSlotTable, RotationStepTable } from "./schema.js";

/**
 * How a run ended; "running" until it has. "abandoned": its process stopped without finishing it
 * (killed, crashed); set by a later run ({@link abandonStaleRotationRuns}).
 */
export type RotationRunStatus = "running" | "succeeded" | "partial" | "failed" | "skipped" | "abandoned";

export interface RotationRunRecord {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  status: RotationRunStatus;
  trigger: string;
  dryRun: boolean;
  holder: string;
  keyFilter: string | null;
  /** Parsed `summary_json` (counts, per-key outcomes, findings). */
  summary: Record<string, unknown>;
  error: string | null;
}

/** Starts a run (status "running", empty summary) and returns its id. */
export async function insertRotationRun(
  db: Kysely<Database>,
  run: { startedAt: string; trigger: string; dryRun: boolean; holder: string; keyFilter: string | null },
): Promise<number> {
  const row = await db
    .insertInto("rotation_run")
    .values({
      started_at: run.startedAt, finished_at: null, status: "running", trigger: run.trigger, dry_run: run.dryRun ? 1 : 0,
      holder: run.holder, key_filter: run.keyFilter, summary_json: "{}", error: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Records how a run ended, with its summary (stored as JSON text) and a run-level error, if any. */
export async function finishRotationRun(
  db: Kysely<Database>,
  id: number,
  end: { finishedAt: string; status: Exclude<RotationRunStatus, "running">; summary: unknown; error: string | null },
): Promise<void> {
  await db
    .updateTable("rotation_run")
    .set({ finished_at: end.finishedAt, status: end.status, summary_json: JSON.stringify(end.summary), error: end.error })
    .where("id", "=", id)
    .execute();
}

/**
 * Marks as "abandoned" every run other than `exceptRunId` that is still "running" while none of
 * its leases is live at `now`: no `rotation_lease` row with its run_id expires after `now` (the run
 * lease it holds for its whole life and its key leases all lapsed, so its process stopped renewing
 * them). Sets finished_at = `now` and error = `reason`. One statement: a run whose lease is live is
 * never marked, and a run is marked once.
 * @returns the ids marked, ascending.
 */
export async function abandonStaleRotationRuns(
  db: Kysely<Database>,
  input: { now: string; exceptRunId: number; reason: string },
): Promise<number[]> {
  const rows = await db
    .updateTable("rotation_run")
    .set({ status: "abandoned", finished_at: input.now, error: input.reason })
    .where("status", "=", "running")
    .where("id", "!=", input.exceptRunId)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("rotation_lease").select("rotation_lease.key_id").whereRef("rotation_lease.run_id", "=", "rotation_run.id").where("rotation_lease.expires_at", ">", input.now))))
    .returning("id")
    .execute();
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

function toRunRecord(row: Selectable<RotationRunTable>): RotationRunRecord {
  let summary: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(row.summary_json);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) summary = parsed as Record<string, unknown>;
  } catch {
    summary = {};
  }
  return {
    id: row.id, startedAt: row.started_at, finishedAt: row.finished_at, status: row.status as RotationRunStatus,
    trigger: row.trigger, dryRun: row.dry_run === 1, holder: row.holder, keyFilter: row.key_filter, summary, error: row.error,
  };
}

/** One run by id, or undefined. */
export async function findRotationRunById(db: Kysely<Database>, id: number): Promise<RotationRunRecord | undefined> {
  const row = await db.selectFrom("rotation_run").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toRunRecord(row) : undefined;
}

/** Runs, oldest first; `limit` keeps the first N. */
export async function findRotationRuns(db: Kysely<Database>, filter: { limit?: number } = {}): Promise<RotationRunRecord[]> {
  let q = db.selectFrom("rotation_run").selectAll().orderBy("id");
  if (filter.limit !== undefined) q = q.limit(filter.limit);
  return (await q.execute()).map(toRunRecord);
}

/** "running" while the call is in flight (a crash leaves it so), then how it ended. */
export type RotationStepStatus = "running" | "succeeded" | "failed" | "in-progress" | "skipped";

export interface RotationStepRecord {
  id: number;
  runId: number;
  keyId: string;
  slot: string | null;
  resourceId: string | null;
  /** OCI operation (CreateKeyVersion, ReencryptBucket, ...) or a decision (LeaseBusy, SlotCompleted, Preflight, ...). */
  operation: string;
  status: RotationStepStatus;
  attempts: number;
  opcRequestId: string | null;
  workRequestId: string | null;
  detail: Record<string, unknown>;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export type NewRotationStep = Omit<RotationStepRecord, "id">;

/** Inserts one step and returns its id. */
export async function insertRotationStep(db: Kysely<Database>, step: NewRotationStep): Promise<number> {
  const row = await db
    .insertInto("rotation_step")
    .values({
      run_id: step.runId, key_id: step.keyId, slot: step.slot, resource_id: step.resourceId, operation: step.operation,
      status: step.status, attempts: step.attempts, opc_request_id: step.opcRequestId, work_request_id: step.workRequestId,
      detail_json: JSON.stringify(step.detail), error: step.error, started_at: step.startedAt, finished_at: step.finishedAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Records how a step that was inserted "running" ended. */
export async function finishRotationStep(
  db: Kysely<Database>,
  id: number,
  end: Pick<RotationStepRecord, "status" | "attempts" | "opcRequestId" | "workRequestId" | "detail" | "error"> & { finishedAt: string },
): Promise<void> {
  await db
    .updateTable("rotation_step")
    .set({
      status: end.status, attempts: end.attempts, opc_request_id: end.opcRequestId, work_request_id: end.workRequestId,
      detail_json: JSON.stringify(end.detail), error: end.error, finished_at: end.finishedAt,
    })
    .where("id", "=", id)
    .execute();
}

function toStepRecord(row: Selectable<RotationStepTable>): RotationStepRecord {
  let detail: Record<string, unknown> = {};
  try {
    detail = JSON.parse(row.detail_json) as Record<string, unknown>;
  } catch {
    detail = {};
  }
  return {
    id: row.id, runId: row.run_id, keyId: row.key_id, slot: row.slot, resourceId: row.resource_id, operation: row.operation,
    status: row.status as RotationStepStatus, attempts: row.attempts, opcRequestId: row.opc_request_id,
    workRequestId: row.work_request_id, detail, error: row.error, startedAt: row.started_at, finishedAt: row.finished_at,
  };
}

/** Steps of one run, or of every run when `runId` is omitted, in the order they were recorded. */
export async function findRotationSteps(db: Kysely<Database>, filter: { runId?: number; keyId?: string } = {}): Promise<RotationStepRecord[]> {
  let q = db.selectFrom("rotation_step").selectAll().orderBy("id");
  if (filter.runId !== undefined) q = q.where("run_id", "=", filter.runId);
  if (filter.keyId !== undefined) q = q.where("key_id", "=", filter.keyId);
  return (await q.execute()).map(toStepRecord);
}

export interface RotationLeaseRecord {
  keyId: string;
  holder: string;
  runId: number | null;
  acquiredAt: string;
  expiresAt: string;
}

function toLeaseRecord(row: RotationLeaseTable): RotationLeaseRecord {
  return { keyId: row.key_id, holder: row.holder, runId: row.run_id, acquiredAt: row.acquired_at, expiresAt: row.expires_at };
}

/**
 * Takes the lease on `keyId` for `holder` until `expiresAt`: inserts it, or takes over a lease that
 * expired at or before `now` (its holder died), or renews one `holder` already has. One statement
 * (an upsert whose update only applies to an expired or own lease), so two processes can never
 * both win; call it inside a transaction (IMMEDIATE on SQLite) when more has to happen atomically.
 * @returns true when `holder` holds the lease afterwards.
 */
export async function acquireRotationLease(
  db: Kysely<Database>,
  lease: { keyId: string; holder: string; runId: number | null; now: string; expiresAt: string },
): Promise<boolean> {
  const row = await db
    .insertInto("rotation_lease")
    .values({ key_id: lease.keyId, holder: lease.holder, run_id: lease.runId, acquired_at: lease.now, expires_at: lease.expiresAt })
    .onConflict((oc) =>
      oc.column("key_id")
        .doUpdateSet((eb) => ({
          holder: eb.ref("excluded.holder"), run_id: eb.ref("excluded.run_id"),
          acquired_at: eb.ref("excluded.acquired_at"), expires_at: eb.ref("excluded.expires_at"),
        }))
        .where((eb) => eb.or([eb("rotation_lease.expires_at", "<=", lease.now), eb("rotation_lease.holder", "=", lease.holder)])),
    )
    .returning("holder")
    .executeTakeFirst();
  return row?.holder === lease.holder;
}

/**
 * Moves the expiry of a lease `holder` still holds.
 * @returns false when the lease is gone or another holder took it over (the caller must stop).
 */
export async function renewRotationLease(
  db: Kysely<Database>,
  lease: { keyId: string; holder: string; expiresAt: string },
): Promise<boolean> {
  const result = await db
    .updateTable("rotation_lease")
    .set({ expires_at: lease.expiresAt })
    .where("key_id", "=", lease.keyId)
    .where("holder", "=", lease.holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Releases a lease `holder` holds (no-op when another holder has it). */
export async function releaseRotationLease(db: Kysely<Database>, lease: { keyId: string; holder: string }): Promise<void> {
  await db.deleteFrom("rotation_lease").where("key_id", "=", lease.keyId).where("holder", "=", lease.holder).execute();
}

/** The lease on a key, or undefined. */
export async function findRotationLease(db: Kysely<Database>, keyId: string): Promise<RotationLeaseRecord | undefined> {
  const row = await db.selectFrom("rotation_lease").selectAll().where("key_id", "=", keyId).executeTakeFirst();
  return row ? toLeaseRecord(row) : undefined;
}

/**
 * - `started`: recorded before the first OCI write; the new version / successor may or may not exist.
 * - `rotated`: the new version / successor exists (its id is recorded); resources may remain.
 * - `completed`: every in-scope resource is re-keyed (or not eligible).
 * - `failed`: the rotation itself could not be made (the next run retries the same slot).
 * - `superseded`: left unfinished, then replaced by a newer slot of the same key or lineage (the
 *   newer one re-keys every resource to the newest material).
 */
export type RotationSlotStatus = "started" | "rotated" | "completed" | "failed" | "superseded";

export interface RotationSlotRecord {
  keyId: string;
  slot: string;
  strategy: "key-version" | "successor-key";
  retryToken: string;
  status: RotationSlotStatus;
  firstRunId: number;
  newKeyVersionId: string | null;
  successorKeyId: string | null;
  createdAt: string;
  updatedAt: string;
}

function toSlotRecord(row: RotationSlotTable): RotationSlotRecord {
  return {
    keyId: row.key_id, slot: row.slot, strategy: row.strategy as RotationSlotRecord["strategy"], retryToken: row.retry_token,
    status: row.status as RotationSlotStatus, firstRunId: row.first_run_id, newKeyVersionId: row.new_key_version_id,
    successorKeyId: row.successor_key_id, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

/**
 * Inserts the idempotency record of a slot unless it exists (then nothing changes), and returns
 * the record as stored, with `created` telling which happened.
 */
export async function claimRotationSlot(
  db: Kysely<Database>,
  slot: Omit<RotationSlotRecord, "updatedAt" | "status" | "newKeyVersionId" | "successorKeyId"> &
    Partial<Pick<RotationSlotRecord, "status" | "newKeyVersionId" | "successorKeyId">>,
): Promise<{ record: RotationSlotRecord; created: boolean }> {
  const inserted = await db
    .insertInto("rotation_slot")
    .values({
      key_id: slot.keyId, slot: slot.slot, strategy: slot.strategy, retry_token: slot.retryToken, status: slot.status ?? "started",
      first_run_id: slot.firstRunId, new_key_version_id: slot.newKeyVersionId ?? null, successor_key_id: slot.successorKeyId ?? null,
      created_at: slot.createdAt, updated_at: slot.createdAt,
    })
    .onConflict((oc) => oc.columns(["key_id", "slot"]).doNothing())
    .returning("key_id")
    .executeTakeFirst();
  const record = await findRotationSlot(db, slot.keyId, slot.slot);
  if (!record) throw new Error(`rotation_slot ${slot.keyId} ${slot.slot} vanished after insert`);
  return { record, created: inserted !== undefined };
}

export async function findRotationSlot(db: Kysely<Database>, keyId: string, slot: string): Promise<RotationSlotRecord | undefined> {
  const row = await db.selectFrom("rotation_slot").selectAll().where("key_id", "=", keyId).where("slot", "=", slot).executeTakeFirst();
  return row ? toSlotRecord(row) : undefined;
}

/** Open slots: neither completed nor superseded (a crash, a failure, a resource still in progress), oldest first; optionally of some keys only. */
export async function findOpenRotationSlots(db: Kysely<Database>, keyIds?: readonly string[]): Promise<RotationSlotRecord[]> {
  if (keyIds && keyIds.length === 0) return [];
  let q = db.selectFrom("rotation_slot").selectAll().where("status", "not in", ["completed", "superseded"]).orderBy("created_at").orderBy("key_id");
  if (keyIds) q = q.where("key_id", "in", [...keyIds]);
  return (await q.execute()).map(toSlotRecord);
}

/** Every slot of a key, oldest first. */
export async function findRotationSlots(db: Kysely<Database>, keyId: string): Promise<RotationSlotRecord[]> {
  const rows = await db.selectFrom("rotation_slot").selectAll().where("key_id", "=", keyId).orderBy("created_at").execute();
  return rows.map(toSlotRecord);
}

/**
 * The lease a slot or re-key write is made under: the write only happens while `holder` holds
 * the `rotation_lease` row of `keyId` (checked in the same statement). A run whose lease lapsed
 * (it paused longer than leaseTtlMs) and was taken over by another run must not overwrite what
 * the new holder recorded.
 */
export interface LeaseGuard {
  keyId: string;
  holder: string;
}

/** Slot statuses a slot never leaves: the rotation is done, or replaced by a newer slot. */
export const FINAL_SLOT_STATUSES: readonly RotationSlotStatus[] = ["completed", "superseded"];

/**
 * Changes a slot's status, result ids or retry token, in one statement that only writes when
 * - the slot is still open: a `completed` or `superseded` slot never changes again (a late write
 *   from a run that lost its lease would otherwise reopen it, and the next run would resume it);
 * - `lease.holder` holds the lease on `lease.keyId` (usually the slot's own key; for a slot
 *   superseded by a newer slot of its lineage, the newer slot's key).
 * @returns true when the slot was written; false when it is closed, missing, or the lease is not
 *   the caller's (the caller stops working on the key: slot-work.ts).
 */
export async function updateRotationSlot(
  db: Kysely<Database>,
  keyId: string,
  slot: string,
  patch: Partial<Pick<RotationSlotRecord, "status" | "newKeyVersionId" | "successorKeyId" | "retryToken">> & { updatedAt: string },
  lease: LeaseGuard,
): Promise<boolean> {
  const rows = await db
    .updateTable("rotation_slot")
    .set({
      updated_at: patch.updatedAt,
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.newKeyVersionId !== undefined ? { new_key_version_id: patch.newKeyVersionId } : {}),
      ...(patch.successorKeyId !== undefined ? { successor_key_id: patch.successorKeyId } : {}),
      ...(patch.retryToken !== undefined ? { retry_token: patch.retryToken } : {}),
    })
    .where("key_id", "=", keyId)
    .where("slot", "=", slot)
    .where("status", "not in", [...FINAL_SLOT_STATUSES])
    .where(({ exists, selectFrom }) =>
      exists(selectFrom("rotation_lease").select("rotation_lease.key_id").where("rotation_lease.key_id", "=", lease.keyId).where("rotation_lease.holder", "=", lease.holder)))
    .returning("key_id")
    .execute();
  return rows.length === 1;
}

/**
 * - `pending`: about to be (or was) sent; the outcome is not known (a crash, a timeout, a lost
 *   connection or a 5xx on a write that is not safe to repeat): the next attempt finds out what it
 *   did (ListWorkRequests, the read-back) before sending again. `updatedAt` is when it was sent.
 * - `in-progress`: a work request still running (B17: only a succeeded one counts as done).
 * - `succeeded`: work request COMPLETED, or read-back showed the successor.
 * - `failed`: refused, work request FAILED, or a 200 whose change did not apply.
 * - `not-eligible`: Oracle-managed key, non-AES key (B15, B17): never sent.
 */
export type RotationRekeyStatus = "pending" | "in-progress" | "succeeded" | "failed" | "not-eligible";

export interface RotationRekeyRecord {
  keyId: string;
  slot: string;
  resourceId: string;
  resourceKind: string;
  status: RotationRekeyStatus;
  workRequestId: string | null;
  percentComplete: number | null;
  detail: string | null;
  updatedAt: string;
}

function toRekeyRecord(row: RotationRekeyTable): RotationRekeyRecord {
  return {
    keyId: row.key_id, slot: row.slot, resourceId: row.resource_id, resourceKind: row.resource_kind,
    status: row.status as RotationRekeyStatus, workRequestId: row.work_request_id, percentComplete: row.percent_complete,
    detail: row.detail, updatedAt: row.updated_at,
  };
}

/**
 * Inserts or replaces the re-key record of one resource of a slot, in one statement
 * (`INSERT … SELECT … FROM rotation_lease WHERE <lease is the caller's> ON CONFLICT DO UPDATE …
 * WHERE status <> 'succeeded'`) that only writes when
 * - `lease.holder` holds the lease on `lease.keyId` (the slot's key), and
 * - the stored record is not `succeeded`: a resource re-keyed for the slot stays re-keyed (a late
 *   write from a run that lost its lease would otherwise send it back to pending or failed, and
 *   the next run would re-key it a second time).
 * @returns true when the record was written; false otherwise (the caller stops: slot-work.ts).
 */
export async function upsertRotationRekey(db: Kysely<Database>, rekey: RotationRekeyRecord, lease: LeaseGuard): Promise<boolean> {
  const rows = await db
    .insertInto("rotation_rekey")
    .columns(["key_id", "slot", "resource_id", "resource_kind", "status", "work_request_id", "percent_complete", "detail", "updated_at"])
    .expression((eb) =>
      eb.selectFrom("rotation_lease")
        .select([
          eb.val(rekey.keyId).as("key_id"), eb.val(rekey.slot).as("slot"), eb.val(rekey.resourceId).as("resource_id"),
          eb.val(rekey.resourceKind).as("resource_kind"), eb.val(rekey.status).as("status"),
          // Typed explicitly: PostgreSQL reads an untyped parameter in a select list as text.
          eb.cast<string | null>(eb.val(rekey.workRequestId), "text").as("work_request_id"),
          eb.cast<number | null>(eb.val(rekey.percentComplete), "integer").as("percent_complete"),
          eb.cast<string | null>(eb.val(rekey.detail), "text").as("detail"), eb.val(rekey.updatedAt).as("updated_at"),
        ])
        // SQLite needs a WHERE on an INSERT … SELECT followed by ON CONFLICT (its parser), which this is.
        .where("rotation_lease.key_id", "=", lease.keyId)
        .where("rotation_lease.holder", "=", lease.holder))
    .onConflict((oc) =>
      oc.columns(["key_id", "slot", "resource_id"])
        .doUpdateSet((eb) => ({
          resource_kind: eb.ref("excluded.resource_kind"), status: eb.ref("excluded.status"), work_request_id: eb.ref("excluded.work_request_id"),
          percent_complete: eb.ref("excluded.percent_complete"), detail: eb.ref("excluded.detail"), updated_at: eb.ref("excluded.updated_at"),
        }))
        .where("rotation_rekey.status", "!=", "succeeded"))
    .returning("key_id")
    .execute();
  return rows.length === 1;
}

/** The re-key records of a slot, by resource id. */
export async function findRotationRekeys(db: Kysely<Database>, keyId: string, slot: string): Promise<RotationRekeyRecord[]> {
  const rows = await db
    .selectFrom("rotation_rekey").selectAll().where("key_id", "=", keyId).where("slot", "=", slot).orderBy("resource_id").execute();
  return rows.map(toRekeyRecord);
}
