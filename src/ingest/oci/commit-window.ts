/**
 * Records the outcome of one audit window (issue 5, DESIGN §4 and §3 rule 7):
 * - a collected window commits its events, its "collected" coverage-ledger row and the checkpoint
 *   advance in ONE transaction, so a crash at any point loses nothing (the checkpoint has not
 *   moved: the window is read again) and duplicates nothing (the events are not there either);
 * - a failed window gets one "failed" ledger row with the failure reason and the checkpoint stays,
 *   so reports show a gap with a reason, never "no events".
 */
import type { Kysely } from "kysely";
import { withAuditEventWriter, type AuditEventWriteCounts } from "../../store/audit-event-writer.js";
import type { NewAuditEvent } from "../../store/audit-event-row.js";
import { advanceCheckpoint, insertCoverageWindow, type CheckpointKey } from "../../store/ingest-ledger.js";
import type { Database } from "../../store/schema.js";
import { formatInstant } from "../../time/instant.js";
import type { IngestDeps, WindowFailure } from "./ingest-deps.js";

export interface CollectedWindow {
  key: CheckpointKey;
  /** Inclusive, epoch ms on a whole minute. */
  startMs: number;
  /** Exclusive. */
  endMs: number;
  /** The window length that worked, remembered with the checkpoint (ms). */
  windowMs: number;
  events: readonly NewAuditEvent[];
  pages: number;
  /** Records OCI answered for the window (before the relevance filter). */
  recordsRead: number;
  opcRequestId: string | null;
  /** Note for the ledger row (skipped records), or null. */
  detail: string | null;
  /**
   * Records OCI answered that are not audit records. When any, the row is "failed" with reason
   * "malformed-answer" (the good events are kept and the checkpoint moves, since reading again gives
   * the same answer): the window's minutes are never reported as completely collected.
   */
  skipped: number;
}

/**
 * Stores a collected window in one transaction: events (exactly once), the ledger row, the
 * checkpoint moved to the window's end. Store errors roll everything back and propagate.
 */
export async function commitWindow(deps: Pick<IngestDeps, "store" | "now" | "importRunId">, w: CollectedWindow): Promise<AuditEventWriteCounts> {
  const now = deps.now();
  return withAuditEventWriter(deps.store, { importRunId: deps.importRunId, storedAt: now }, async (writer, db) => {
    await writer.write(w.events);
    await writer.flush();
    const counts = { ...writer.counts };
    await insertCoverageWindow(db, {
      ...w.key, importRunId: deps.importRunId,
      windowStart: formatInstant(w.startMs), windowEnd: formatInstant(w.endMs),
      status: w.skipped > 0 ? "failed" : "collected", reason: w.skipped > 0 ? "malformed-answer" : null, detail: w.detail,
      pages: w.pages, eventsRead: w.recordsRead, eventsStored: counts.stored, duplicates: counts.duplicates,
      opcRequestId: w.opcRequestId, recordedAt: now,
    });
    await advanceCheckpoint(db, w.key, formatInstant(w.endMs), w.windowMs, now);
    return { commit: true, value: counts };
  });
}

export interface FailedWindow {
  key: CheckpointKey;
  startMs: number;
  endMs: number;
  /** OciFailureReason. */
  reason: string;
  /** The error message (names the operation; never a secret). */
  detail: string;
  pages: number;
  opcRequestId: string | null;
}

/** Appends the "failed" ledger row of a window (the checkpoint does not move) and returns it as a WindowFailure. */
export async function recordFailedWindow(deps: Pick<IngestDeps, "store" | "now" | "importRunId">, w: FailedWindow): Promise<WindowFailure> {
  const failure: WindowFailure = {
    source: w.key.source, scopeId: w.key.scopeId,
    windowStart: formatInstant(w.startMs), windowEnd: formatInstant(w.endMs), reason: w.reason, detail: w.detail,
  };
  await insertCoverageWindow(deps.store.db, {
    ...w.key, importRunId: deps.importRunId, windowStart: failure.windowStart, windowEnd: failure.windowEnd,
    status: "failed", reason: w.reason, detail: w.detail, pages: w.pages, eventsRead: 0, eventsStored: 0, duplicates: 0,
    opcRequestId: w.opcRequestId, recordedAt: deps.now(),
  });
  return failure;
}

/** Start of the earliest collected window of `key` (the first run's start), or null. */
export async function firstCollectedStart(db: Kysely<Database>, key: CheckpointKey): Promise<string | null> {
  const row = await db
    .selectFrom("coverage_window")
    .select((eb) => eb.fn.min("window_start").as("first"))
    .where("source", "=", key.source)
    .where("region", "=", key.region)
    .where("scope_id", "=", key.scopeId)
    .where("status", "=", "collected")
    .executeTakeFirst();
  return (row?.first as string | null | undefined) ?? null;
}
