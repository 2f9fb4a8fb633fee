/**
 * Collects one scope (a compartment for ListEvents, a root for Logging Search) window by window
 * (issue 5 items 1 and 2, cases.md B04, B05, B07):
 * - the run's range is planned from the checkpoint (audit-windows.ts) and cut into consecutive
 *   whole-minute windows `[start, end)` that partition it exactly;
 * - a window longer than a minute whose records exceed maxWindowEvents is dropped (what was read
 *   is discarded) and retried at half its length (the split point is the whole minute in its middle, so the
 *   first half is collected first, then the rest); a one-minute window is accepted at any size;
 * - each collected window commits with its ledger row and checkpoint (commit-window.ts); the
 *   length grows back (doubling) after windows with few records;
 * - an OCI failure (after the retry layer, or a stalled paginator) records a "failed" ledger row,
 *   leaves the checkpoint where it is and ends this scope for the run (the windows after it would
 *   leave a gap behind the checkpoint). Other errors (the store) propagate.
 */
import { OciCallError, type RawPage } from "../../oci/oci-ports.js";
import type { NewAuditEvent } from "../../store/audit-event-row.js";
import { readCheckpoint, type CheckpointKey } from "../../store/ingest-ledger.js";
import { formatInstant, parseInstant } from "../../time/instant.js";
import { DAY_MS, initialWindowMs, MINUTE_MS, nextWindowMs, planIngestRange, splitPointMs } from "./audit-windows.js";
import { collectWindowPages } from "./collect-window-pages.js";
import { commitWindow, firstCollectedStart, recordFailedWindow } from "./commit-window.js";
import type { IngestDeps, WindowFailure } from "./ingest-deps.js";
import { selectWindowEvents } from "./select-window-events.js";

/** How one scope is read. */
export interface AuditScopeReader {
  key: CheckpointKey;
  /** "ListEvents" or "SearchLogs" (error messages, logs). */
  operation: string;
  /** One page of `[startMs, endMs)` (whole minutes). */
  fetchPage(startMs: number, endMs: number, page: string | undefined): Promise<RawPage>;
  /** A record's id, for the repeated-first-record check of B07. */
  idOf(record: Record<string, unknown>): string | null;
  /** Which normalised events are stored (null = all). */
  keep: ((event: NewAuditEvent) => boolean) | null;
}

/** What one scope did in one run. */
export interface ScopeOutcome {
  windowsCollected: number;
  recordsRead: number;
  stored: number;
  duplicates: number;
  conflicts: number;
  /** Records OCI answered that are not audit records. */
  skipped: number;
  failure: WindowFailure | null;
  /** Windows committed with records that are not audit records (ledger rows "failed", malformed-answer). */
  malformed: WindowFailure[];
}

export interface ScopeRunContext {
  /** First-run depth in days (config.ingest.backfillDays, else the Audit retention; read once per run). */
  backfillDays: () => Promise<number>;
  /** Days OCI keeps audit events (GetConfiguration, read once per run; 90, OCI's minimum, when unreadable). */
  retentionDays: () => Promise<number>;
}

function toMs(iso: string | null): number | null {
  return iso === null ? null : (parseInstant(iso)?.epochMs ?? null);
}

/** Collects `reader`'s scope from its checkpoint to now. */
export async function ingestAuditScope(deps: IngestDeps, reader: AuditScopeReader, ctx: ScopeRunContext): Promise<ScopeOutcome> {
  const { key } = reader;
  const cfg = deps.config.ingest;
  const limits = { maxWindowMinutes: cfg.maxWindowMinutes, maxWindowEvents: cfg.maxWindowEvents };
  const log = deps.logger.child({ source: key.source, scopeId: key.scopeId });
  const outcome: ScopeOutcome = { windowsCollected: 0, recordsRead: 0, stored: 0, duplicates: 0, conflicts: 0, skipped: 0, failure: null, malformed: [] };

  const checkpoint = await readCheckpoint(deps.store.db, key);
  const nowMs = parseInstant(deps.now())!.epochMs;
  const range = planIngestRange({
    nowMs,
    oldestAvailableMs: nowMs - (await ctx.retentionDays()) * DAY_MS,
    checkpointToMs: toMs(checkpoint?.collectedTo ?? null),
    firstCollectedMs: checkpoint ? toMs(await firstCollectedStart(deps.store.db, key)) : null,
    lookbackMinutes: cfg.lookbackMinutes,
    backfillDays: checkpoint ? 0 : await ctx.backfillDays(),
  });
  if (range === null) return outcome;

  let lengthMs = initialWindowMs(checkpoint?.windowMs ?? null, limits);
  let startMs = range.fromMs;
  while (startMs < range.toMs) {
    const endMs = Math.min(startMs + lengthMs, range.toMs);
    const oneMinute = endMs - startMs <= MINUTE_MS;
    let read;
    let calls = 0;
    try {
      read = await collectWindowPages(reader.operation, (page) => (calls++, reader.fetchPage(startMs, endMs, page)), {
        maxRecords: oneMinute ? Infinity : cfg.maxWindowEvents,
        idOf: reader.idOf,
      });
    } catch (err) {
      if (!(err instanceof OciCallError)) throw err;
      outcome.failure = await recordFailedWindow(deps, {
        key, startMs, endMs, reason: err.reason, detail: err.message,
        pages: calls, opcRequestId: err.opcRequestId,
      });
      log.warn({ windowStart: outcome.failure.windowStart, windowEnd: outcome.failure.windowEnd, reason: err.reason, error: err.message }, "audit window failed; scope stops for this run");
      return outcome;
    }
    if (!read.complete) {
      // Too many records for one window (B04): read again at half the length. What was read is dropped.
      lengthMs = splitPointMs(startMs, endMs) - startMs;
      log.debug({ recordsRead: read.recordsRead, newLengthMinutes: lengthMs / MINUTE_MS }, "audit window too large; halved");
      continue;
    }
    if (oneMinute && read.items.length > cfg.maxWindowEvents) {
      log.warn({ windowStart: new Date(startMs).toISOString(), records: read.items.length, maxWindowEvents: cfg.maxWindowEvents }, "one-minute audit window above maxWindowEvents accepted whole (it cannot be split)");
    }
    const selected = selectWindowEvents(read.items, reader.keep);
    const detail = selected.skipped > 0 ? `${selected.skipped} record(s) that are not audit records skipped; first: ${selected.firstSkipMessage}` : null;
    if (detail) log.warn({ skipped: selected.skipped, first: selected.firstSkipMessage }, "records skipped");
    const counts = await commitWindow(deps, {
      key, startMs, endMs, windowMs: lengthMs, events: selected.events,
      pages: read.pages, recordsRead: read.items.length, opcRequestId: read.opcRequestId, detail, skipped: selected.skipped,
    });
    if (selected.skipped > 0) {
      outcome.malformed.push({
        source: key.source, scopeId: key.scopeId, windowStart: formatInstant(startMs), windowEnd: formatInstant(endMs),
        reason: "malformed-answer", detail: detail ?? "",
      });
    }
    outcome.windowsCollected++;
    outcome.recordsRead += read.items.length;
    outcome.stored += counts.stored;
    outcome.duplicates += counts.duplicates;
    outcome.conflicts += counts.conflicts;
    outcome.skipped += selected.skipped;
    startMs = endMs;
    lengthMs = nextWindowMs(lengthMs, read.items.length, limits);
  }
  log.info({ windowsCollected: outcome.windowsCollected, recordsRead: outcome.recordsRead, stored: outcome.stored, duplicates: outcome.duplicates }, "audit scope collected");
  return outcome;
}
