/**
 * Window planning for audit ingestion (issue 5 item 1, cases.md B04), pure: which range a run
 * reads for one scope, how long its first window is, where a too-large window is split and how the
 * length grows back. All values are epoch milliseconds (UTC) on whole minutes; windows are
 * start-inclusive and end-exclusive, so consecutive windows `[a, b)`, `[b, c)` have no gap and no
 * overlap (Audit ListEvents has minute granularity, OCI-NOTES §5 item 2).
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** `ms` cut down to the whole minute (UTC). */
export function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

export interface RangeInput {
  /** The run's "now" (epoch ms). */
  nowMs: number;
  /** End of the scope's last committed window (the checkpoint), or null on the first run. */
  checkpointToMs: number | null;
  /** Start of the scope's earliest collected window (the first run's start), when known. */
  firstCollectedMs: number | null;
  /** Minutes re-read before the checkpoint (OCI delivers late). */
  lookbackMinutes: number;
  /** First run: read this many days back. */
  backfillDays: number;
  /**
   * The oldest instant OCI still holds (now − the tenancy's Audit retention), or null when unknown.
   * Nothing before it is read: a window there would come back empty and be recorded as "collected"
   * although OCI had already deleted its events; those minutes stay "not collected" instead.
   */
  oldestAvailableMs: number | null;
}

/**
 * The range `[fromMs, toMs)` one run reads for one scope, or null when there is nothing to read.
 * `to` = floor_minute(now). With a checkpoint, `from` = checkpoint − look-back, never before the
 * first run's start; without one, `from` = floor_minute(now − backfillDays); never before
 * `oldestAvailableMs` (rounded up to the minute).
 */
export function planIngestRange(input: RangeInput): { fromMs: number; toMs: number } | null {
  const toMs = floorMinute(input.nowMs);
  let fromMs: number;
  if (input.checkpointToMs === null) {
    fromMs = floorMinute(input.nowMs - input.backfillDays * DAY_MS);
  } else {
    fromMs = floorMinute(input.checkpointToMs - input.lookbackMinutes * MINUTE_MS);
    if (input.firstCollectedMs !== null) fromMs = Math.max(fromMs, floorMinute(input.firstCollectedMs));
  }
  if (input.oldestAvailableMs !== null) fromMs = Math.max(fromMs, Math.ceil(input.oldestAvailableMs / MINUTE_MS) * MINUTE_MS);
  return fromMs < toMs ? { fromMs, toMs } : null;
}

/** Window-size settings (config.ingest). */
export interface WindowLimits {
  /** Longest window, minutes. */
  maxWindowMinutes: number;
  /** A window (longer than a minute) reading more records than this is split. */
  maxWindowEvents: number;
}

/**
 * The length of the first window of a run: the length stored with the checkpoint (the one that
 * last worked), else the maximum; whole minutes, at least one minute, at most the maximum.
 */
export function initialWindowMs(storedMs: number | null, limits: WindowLimits): number {
  const maxMs = limits.maxWindowMinutes * MINUTE_MS;
  if (storedMs === null || !Number.isFinite(storedMs)) return maxMs;
  return Math.min(maxMs, Math.max(MINUTE_MS, floorMinute(storedMs)));
}

/**
 * The split point of a window longer than one minute: the whole minute in its middle (the first
 * half gets the shorter part when the minutes are odd). Both halves are at least one minute long.
 * @throws RangeError for a window of one minute or less, or bounds not on whole minutes.
 */
export function splitPointMs(startMs: number, endMs: number): number {
  if (startMs % MINUTE_MS !== 0 || endMs % MINUTE_MS !== 0) throw new RangeError("splitPointMs: bounds must be whole minutes");
  const minutes = (endMs - startMs) / MINUTE_MS;
  if (minutes < 2) throw new RangeError("splitPointMs: a window of one minute cannot be split");
  return startMs + Math.floor(minutes / 2) * MINUTE_MS;
}

/**
 * The window length after a committed window of `lengthMs` that read `eventsRead` records:
 * doubled (capped at the maximum) when fewer than a quarter of maxWindowEvents were read, else kept.
 */
export function nextWindowMs(lengthMs: number, eventsRead: number, limits: WindowLimits): number {
  const maxMs = limits.maxWindowMinutes * MINUTE_MS;
  return eventsRead < limits.maxWindowEvents / 4 ? Math.min(maxMs, lengthMs * 2) : lengthMs;
}
