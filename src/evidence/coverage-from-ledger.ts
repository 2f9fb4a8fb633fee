/**
 * The coverage ledger summarised for one reporting period (DESIGN §3 rule 7, issue 5 item 5). Pure:
 * from ledger rows and the interval each scope must cover, it works out which minutes were
 * collected, which failed (and why) and which were never attempted.
 *
 * Rules:
 * - A minute is "collected" when any collected row covers it (a later re-read of a failed window,
 *   or an overlapping look-back re-read, counts once); "failed" when only failed rows cover it; "not
 *   collected" when no row covers it.
 * - A failed row all of whose required minutes were later collected is "recovered": counted, never
 *   reported as a gap.
 * - Minutes only: rows are whole minutes. A row that is not (bad data) is read conservatively: a
 *   collected row is shrunk to the whole minutes inside it, a failed row widened.
 */
import { formatInstant, requireInstant } from "../time/instant.js";
import { compareCodeUnits } from "../store/compare-code-units.js";

const MINUTE = 60_000;

/** The ledger row fields this summary reads (a subset of store/ingest-ledger CoverageWindow). */
export interface LedgerWindow {
  id: number;
  source: string;
  region: string;
  scopeId: string;
  /** Inclusive, ISO UTC. */
  windowStart: string;
  /** Exclusive, ISO UTC. */
  windowEnd: string;
  status: "collected" | "failed";
  reason: string | null;
  detail: string | null;
  recordedAt: string;
}

/** The interval one (source, region, scope) must have collected, [start, end) ISO UTC. */
export interface RequiredInterval {
  source: string;
  region: string;
  scopeId: string;
  start: string;
  end: string;
}

/** A maximal interval of one scope that is not collected. */
export interface CoverageGapInterval {
  source: string;
  region: string;
  scopeId: string;
  /** Inclusive, ISO UTC. */
  start: string;
  /** Exclusive, ISO UTC. */
  end: string;
  minutes: number;
  status: "failed" | "not-collected";
  /** Distinct reasons of the failed rows over this interval, sorted; empty when not collected. */
  reasons: string[];
  /** Detail of the last recorded failed row over this interval (recordedAt, then id); null when none. */
  detail: string | null;
  /** Failed ledger rows overlapping this interval. */
  failedWindows: number;
}

/** Coverage of one (source, region, scope) over its required interval. */
export interface ScopeCoverage extends RequiredInterval {
  requiredMinutes: number;
  collectedMinutes: number;
  failedMinutes: number;
  notCollectedMinutes: number;
  /** Failed rows with at least one required minute still not collected. */
  failedWindows: number;
  /** Failed rows whose every required minute was later collected. */
  recoveredWindows: number;
  /** Distinct reasons of the unrecovered failed rows, sorted. */
  reasons: string[];
  /** Failed and not-collected intervals, in time order. */
  gaps: CoverageGapInterval[];
}

export interface CoverageTotals {
  scopes: number;
  requiredMinutes: number;
  collectedMinutes: number;
  failedMinutes: number;
  notCollectedMinutes: number;
  failedWindows: number;
  recoveredWindows: number;
}

export interface CoverageSummary {
  /** One per required interval, ordered by source, region, scope (code-unit order). */
  scopes: ScopeCoverage[];
  totals: CoverageTotals;
}

const keyOf = (r: { source: string; region: string; scopeId: string }) => JSON.stringify([r.source, r.region, r.scopeId]);

function minuteOf(iso: string, field: string, round: "floor" | "ceil"): number {
  const ms = requireInstant(iso, field).epochMs;
  return round === "floor" ? Math.floor(ms / MINUTE) : Math.ceil(ms / MINUTE);
}

/** Half-open minute intervals, merged and sorted. */
function mergeIntervals(intervals: [number, number][]): [number, number][] {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

interface ClippedFailed {
  row: LedgerWindow;
  start: number;
  end: number;
}

function summarizeScope(required: RequiredInterval, rows: readonly LedgerWindow[]): ScopeCoverage {
  const where = `required interval of ${required.source} ${required.region} ${required.scopeId}`;
  const reqStart = minuteOf(required.start, `${where}: start`, "floor");
  const reqEnd = Math.max(reqStart, minuteOf(required.end, `${where}: end`, "ceil"));
  const collected = mergeIntervals(
    rows
      .filter((r) => r.status === "collected")
      .map((r): [number, number] => [
        Math.max(reqStart, minuteOf(r.windowStart, `coverage window ${r.id}: windowStart`, "ceil")),
        Math.min(reqEnd, minuteOf(r.windowEnd, `coverage window ${r.id}: windowEnd`, "floor")),
      ]),
  );
  const failed: ClippedFailed[] = rows
    .filter((r) => r.status !== "collected")
    .map((r) => ({
      row: r,
      start: Math.max(reqStart, minuteOf(r.windowStart, `coverage window ${r.id}: windowStart`, "floor")),
      end: Math.min(reqEnd, minuteOf(r.windowEnd, `coverage window ${r.id}: windowEnd`, "ceil")),
    }))
    .filter((f) => f.end > f.start);

  // Elementary segments between every boundary; each is wholly collected, failed or neither.
  const points = new Set<number>([reqStart, reqEnd]);
  for (const [a, b] of collected) points.add(a).add(b);
  for (const f of failed) points.add(f.start).add(f.end);
  const sorted = [...points].filter((p) => p >= reqStart && p <= reqEnd).sort((a, b) => a - b);

  const gaps: CoverageGapInterval[] = [];
  let open: { start: number; end: number; status: "failed" | "not-collected"; rows: Map<number, LedgerWindow> } | null = null;
  const close = () => {
    if (!open) return;
    const failedRows = [...open.rows.values()];
    const last = failedRows.sort((x, y) => compareCodeUnits(x.recordedAt, y.recordedAt) || x.id - y.id)[failedRows.length - 1];
    gaps.push({
      source: required.source,
      region: required.region,
      scopeId: required.scopeId,
      start: formatInstant(open.start * MINUTE),
      end: formatInstant(open.end * MINUTE),
      minutes: open.end - open.start,
      status: open.status,
      reasons: [...new Set(failedRows.map((r) => r.reason ?? "unknown"))].sort(compareCodeUnits),
      detail: last?.detail ?? null,
      failedWindows: failedRows.length,
    });
    open = null;
  };
  let collectedMinutes = 0;
  let failedMinutes = 0;
  // One sweep: segments are visited in order, so the merged collected intervals and the failed rows
  // (by start) are walked with pointers; `active` holds the failed rows over the current segment.
  const failedByStart = [...failed].sort((x, y) => x.start - y.start || x.row.id - y.row.id);
  const unrecoveredIds = new Set<number>();
  let active: ClippedFailed[] = [];
  let ci = 0;
  let fi = 0;
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    while (ci < collected.length && collected[ci]![1] <= a) ci++;
    while (fi < failedByStart.length && failedByStart[fi]!.start <= a) active.push(failedByStart[fi++]!);
    active = active.filter((f) => f.end > a);
    // Boundaries include every interval end, so a segment is wholly inside or outside each interval.
    if (ci < collected.length && collected[ci]![0] <= a) {
      collectedMinutes += b - a;
      close();
      continue;
    }
    const status = active.length > 0 ? "failed" : "not-collected";
    if (status === "failed") failedMinutes += b - a;
    if (open && open.status === status && open.end === a) {
      open.end = b;
    } else {
      close();
      open = { start: a, end: b, status, rows: new Map() };
    }
    for (const f of active) {
      open.rows.set(f.row.id, f.row);
      unrecoveredIds.add(f.row.id);
    }
  }
  close();

  const unrecovered = failed.filter((f) => unrecoveredIds.has(f.row.id));
  const requiredMinutes = reqEnd - reqStart;
  return {
    ...required,
    start: formatInstant(reqStart * MINUTE),
    end: formatInstant(reqEnd * MINUTE),
    requiredMinutes,
    collectedMinutes,
    failedMinutes,
    notCollectedMinutes: requiredMinutes - collectedMinutes - failedMinutes,
    failedWindows: unrecovered.length,
    recoveredWindows: failed.length - unrecovered.length,
    reasons: [...new Set(unrecovered.map((f) => f.row.reason ?? "unknown"))].sort(compareCodeUnits),
    gaps,
  };
}

/**
 * Summarises `windows` (ledger rows, any order, of any scope) against `required` (one interval per
 * scope; rows of scopes not in `required` are ignored). Rows are matched to a scope by source,
 * region and scope id.
 * @returns per-scope coverage with its gap intervals, and totals over every scope.
 * @throws TypeError when a required bound or a row's window bound is not an ISO instant (naming it).
 */
export function summarizeCoverage(windows: readonly LedgerWindow[], required: readonly RequiredInterval[]): CoverageSummary {
  const byScope = new Map<string, LedgerWindow[]>();
  for (const w of windows) {
    const k = keyOf(w);
    const list = byScope.get(k);
    if (list) list.push(w);
    else byScope.set(k, [w]);
  }
  const ordered = [...required].sort(
    (x, y) => compareCodeUnits(x.source, y.source) || compareCodeUnits(x.region, y.region) || compareCodeUnits(x.scopeId, y.scopeId) || compareCodeUnits(x.start, y.start),
  );
  const scopes = ordered.map((r) => summarizeScope(r, byScope.get(keyOf(r)) ?? []));
  const totals: CoverageTotals = {
    scopes: scopes.length,
    requiredMinutes: 0,
    collectedMinutes: 0,
    failedMinutes: 0,
    notCollectedMinutes: 0,
    failedWindows: 0,
    recoveredWindows: 0,
  };
  for (const s of scopes) {
    totals.requiredMinutes += s.requiredMinutes;
    totals.collectedMinutes += s.collectedMinutes;
    totals.failedMinutes += s.failedMinutes;
    totals.notCollectedMinutes += s.notCollectedMinutes;
    totals.failedWindows += s.failedWindows;
    totals.recoveredWindows += s.recoveredWindows;
  }
  return { scopes, totals };
}

/**
 * The interval a scope must cover for the period [start, end) (ISO UTC): ListEvents filters on
 * processing time, so the events of the period are only all in once [start, end + lookbackMinutes)
 * is collected (events processed after the period ended, OCI-NOTES §5 item 1-2); Logging Search
 * filters on event time and needs [start, end). Null for sources without windows (export bucket).
 */
export function requiredIntervalFor(source: string, period: { start: string; end: string }, lookbackMinutes: number): { start: string; end: string } | null {
  if (source === "audit-list-events") {
    return { start: period.start, end: formatInstant(requireInstant(period.end, "period.end").epochMs + lookbackMinutes * MINUTE) };
  }
  if (source === "logging-search") return { start: period.start, end: period.end };
  return null;
}

/** How a failure reason reads in the pack (the raw code stays in evidence.xlsx). */
export const REASON_TEXT: Readonly<Record<string, string>> = {
  throttled: "throttled (429 TooManyRequests)",
  authentication: "authentication failed (401)",
  "not-authorized-or-not-found": "unauthorised or not found (404 NotAuthorizedOrNotFound)",
  "pagination-stalled": "pagination stalled (next-page token did not advance)",
  "server-error": "OCI server error (5xx)",
  network: "network error",
  timeout: "timeout",
  conflict: "conflict (409)",
  "invalid-request": "invalid request (400)",
  "malformed-answer": "malformed answer",
  unknown: "reason not recorded",
};

/** Readable text of a ledger failure reason; an unknown code is shown as it is. */
export function reasonText(reason: string): string {
  return REASON_TEXT[reason] ?? reason;
}

/** Share of `part` in `whole` as "97.3%", rounded down so an incomplete scope never shows 100%. */
export function percentOf(part: number, whole: number): string {
  if (whole <= 0) return "—";
  const tenths = Math.floor((part * 1000) / whole);
  return `${Math.trunc(tenths / 10)}.${tenths % 10}%`;
}
