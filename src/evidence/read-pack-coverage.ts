/**
 * The coverage section of a pack (issue 5 item 5, DESIGN §3 rule 7): the coverage ledger read as of
 * the pack's generation, summarised per scope (coverage-from-ledger.ts), and one coverage item per
 * evidence kind with the detail auditors read (what was collected, what failed and why, what is
 * missing). Reads only; the text is built from the rows.
 */
import type { Kysely } from "kysely";
import { IngestConfig } from "../app/config.js";
import { listCoverageWindows } from "../store/ingest-ledger.js";
import { findExportObjectsOfRuns, findPeriodSnapshots, listLedgerScopes, type ExportObjectSummary, type PeriodSnapshots, type SnapshotRunSummary } from "../store/period-coverage.js";
import type { Database } from "../store/schema.js";
import { EVIDENCE_LABELS, type EvidenceKind } from "./controls.js";
import { percentOf, reasonText, requiredIntervalFor, summarizeCoverage, type RequiredInterval } from "./coverage-from-ledger.js";
import type { CoverageItem, PackAuditCoverage, PackCoverageWindow } from "./pack-data.js";
import { formatCount, plural } from "./pdf/format-count.js";
import { compareCodeUnits } from "../store/compare-code-units.js";

/** ingest.lookbackMinutes when the caller does not pass it (the config default). */
export const DEFAULT_LOOKBACK_MINUTES: number = IngestConfig.parse({}).lookbackMinutes;

/** Gaps named in the "Audit events" coverage detail; every gap is in evidence.xlsx sheet CoverageGaps. */
const DETAIL_GAPS = 3;


/**
 * The coverage ledger as of `asOf` for `period`: every scope keyproof has collected (or tried to)
 * with its required interval (requiredIntervalFor), the rows overlapping it, and their summary.
 */
async function readAuditCoverage(db: Kysely<Database>, period: { start: string; end: string }, asOf: string, lookbackMinutes: number): Promise<PackAuditCoverage> {
  const required: RequiredInterval[] = [];
  for (const scope of await listLedgerScopes(db, asOf)) {
    const interval = requiredIntervalFor(scope.source, period, lookbackMinutes);
    if (interval) required.push({ ...scope, ...interval });
  }
  const spanEnd = required.reduce((end, r) => (r.end > end ? r.end : end), period.end);
  const byScope = new Map(required.map((r) => [JSON.stringify([r.source, r.region, r.scopeId]), r]));
  const rows = required.length === 0 ? [] : await listCoverageWindows(db, { from: period.start, to: spanEnd, recordedBy: asOf });
  const windows: PackCoverageWindow[] = rows
    .filter((w) => {
      const r = byScope.get(JSON.stringify([w.source, w.region, w.scopeId]));
      return r !== undefined && w.windowStart < r.end && w.windowEnd > r.start;
    })
    // Code-unit order, not the database collation: the same pack on SQLite and PostgreSQL.
    .sort((x, y) => compareCodeUnits(x.source, y.source) || compareCodeUnits(x.region, y.region) || compareCodeUnits(x.scopeId, y.scopeId) || compareCodeUnits(x.windowStart, y.windowStart) || x.id - y.id)
    .map((w) => ({
      id: w.id, importRunId: w.importRunId, source: w.source, region: w.region, scopeId: w.scopeId,
      windowStart: w.windowStart, windowEnd: w.windowEnd, status: w.status, reason: w.reason, detail: w.detail,
      pages: w.pages, eventsRead: w.eventsRead, eventsStored: w.eventsStored, duplicates: w.duplicates,
      opcRequestId: w.opcRequestId, recordedAt: w.recordedAt,
    }));
  const summary = summarizeCoverage(windows.map((w) => settledWindow(w, lookbackMinutes)).filter((w) => w !== null), required);
  return { ledger: required.length > 0, lookbackMinutes, scopes: summary.scopes, totals: summary.totals, windows };
}

/**
 * What a ledger row proves. Logging Search windows are on event time, and OCI delivers audit records
 * late (usually within 15 minutes, OCI-NOTES §5 item 1): a minute read less than `lookbackMinutes`
 * before the read may still receive records, so only the part of the window that ended that long
 * before it was recorded counts (the next run's look-back re-reads the rest). ListEvents windows
 * are on processing time, final when read; their late events are covered by the required interval
 * running `lookbackMinutes` past the period end (requiredIntervalFor).
 */
function settledWindow(w: PackCoverageWindow, lookbackMinutes: number): PackCoverageWindow | null {
  if (w.source !== "logging-search" || w.status !== "collected") return w;
  const settledMs = Math.floor((Date.parse(w.recordedAt) - lookbackMinutes * 60_000) / 60_000) * 60_000;
  if (settledMs >= Date.parse(w.windowEnd)) return w;
  if (settledMs <= Date.parse(w.windowStart)) return null;
  return { ...w, windowEnd: new Date(settledMs).toISOString() };
}

function firstOf(items: readonly string[], n: number, more: (rest: number) => string): string {
  return items.slice(0, n).join("; ") + (items.length > n ? `; ${more(items.length - n)}` : "");
}

function auditEventsItem(cov: PackAuditCoverage, events: number, importRuns: number, exportObjects: readonly ExportObjectSummary[]): CoverageItem {
  const evidence = EVIDENCE_LABELS["audit-events"];
  if (!cov.ledger) {
    if (events === 0) {
      return { evidence, status: "not-collected", detail: "No audit event of this period is in the archive. This is a coverage gap, not evidence that nothing happened." };
    }
    const objects =
      exportObjects.length === 0
        ? ""
        : ` Export bucket objects read: ${firstOf(exportObjects.map((o) => `${o.bucket}/${o.objectName}`), 5, (rest) => `${formatCount(rest)} more`)}.`;
    return {
      evidence,
      status: "partial",
      detail:
        `${events} events from ${importRuns} import run(s) of audit export files.${objects} Files carry no record of which ` +
        "compartments and minutes they cover, so completeness of the period is not established (that needs ingestion from the OCI Audit API with its coverage ledger).",
    };
  }
  const t = cov.totals;
  const status: CoverageItem["status"] = t.collectedMinutes === t.requiredMinutes ? "collected" : t.collectedMinutes > 0 ? "partial" : "not-collected";
  const listEvents = cov.scopes.filter((s) => s.source === "audit-list-events").length;
  const search = cov.scopes.filter((s) => s.source === "logging-search").length;
  const over = [
    listEvents > 0 ? `${plural(listEvents, "compartment", "compartments")} by Audit ListEvents (processing time, to ${cov.lookbackMinutes} min past the period end)` : "",
    search > 0 ? `${plural(search, "root compartment", "root compartments")} by Logging Search (event time; a minute counts once read ${cov.lookbackMinutes} min after it, as OCI delivers late)` : "",
  ].filter(Boolean).join(" and ");
  const parts = [
    `${formatCount(t.collectedMinutes)} of ${formatCount(t.requiredMinutes)} required minutes collected (${percentOf(t.collectedMinutes, t.requiredMinutes)}) over ${over}; ${formatCount(events)} events of the period stored.`,
  ];
  if (t.failedMinutes > 0) {
    const reasons = [...new Set(cov.scopes.flatMap((s) => s.reasons))].sort(compareCodeUnits).map(reasonText);
    parts.push(`Failed: ${formatCount(t.failedMinutes)} min in ${plural(t.failedWindows, "window", "windows")} (${reasons.join(", ")}).`);
  }
  if (t.notCollectedMinutes > 0) parts.push(`Never collected: ${formatCount(t.notCollectedMinutes)} min.`);
  if (t.recoveredWindows > 0) parts.push(`${plural(t.recoveredWindows, "failed window was", "failed windows were")} read again later and collected (recovered).`);
  const gaps = cov.scopes.flatMap((s) => s.gaps);
  if (gaps.length > 0) {
    const named = gaps.map(
      (g) =>
        `${g.scopeId} ${g.start} to ${g.end} (${formatCount(g.minutes)} min) ` +
        (g.status === "failed" ? `failed: ${g.reasons.map(reasonText).join(", ")}` : "not collected"),
    );
    parts.push(`Gaps: ${firstOf(named, DETAIL_GAPS, (rest) => `${formatCount(rest)} more in evidence.xlsx sheet CoverageGaps`)}.`);
    parts.push("Event counts of this period cover the collected minutes only; a gap is not evidence that nothing happened.");
  }
  parts.push("Scopes required: every compartment keyproof has a checkpoint or a ledger row for; compartments never configured for ingestion are unknown to keyproof and not covered by this statement.");
  return { evidence, status, detail: parts.join(" ") };
}

function kindCounts(run: SnapshotRunSummary, kinds: readonly [string, string, string][]): string {
  return kinds.map(([kind, one, many]) => plural(run.itemsByKind[kind] ?? 0, one, many)).join(", ");
}

function runText(run: SnapshotRunSummary): string {
  return `Snapshot run ${run.id} observed at ${run.observedAt} (region ${run.region}), ${run.status}`;
}

function errorsText(run: SnapshotRunSummary): string {
  return run.errors.length === 0 ? "" : ` Reads that failed: ${firstOf(run.errors, 3, (rest) => `${formatCount(rest)} more`)}.`;
}

/**
 * A snapshot coverage item. The run used is the newest finished run observed in the period that
 * succeeded (collected), else the newest partial one (partial); none is not-collected. State at the
 * end of the period is what verdicts need, so a run after the period end does not count.
 */
function snapshotItem(kind: EvidenceKind, snapshots: PeriodSnapshots, kinds: readonly [string, string, string][], missing: string): CoverageItem {
  const evidence = EVIDENCE_LABELS[kind];
  const succeeded = snapshots.runs.find((r) => r.status === "succeeded");
  const partial = snapshots.runs.find((r) => r.status === "partial");
  const newer = (run: SnapshotRunSummary) => snapshots.runs.filter((r) => r !== run && r.observedAt > run.observedAt && r.status !== "succeeded").length;
  if (succeeded) {
    const later = newer(succeeded);
    const note = later > 0 ? ` ${plural(later, "later run", "later runs")} of the period did not complete (see later snapshots).` : "";
    return { evidence, status: "collected", detail: `${runText(succeeded)}: ${kindCounts(succeeded, kinds)}.${note}` };
  }
  if (partial) return { evidence, status: "partial", detail: `${runText(partial)}: ${kindCounts(partial, kinds)}.${errorsText(partial)}` };
  const failed = snapshots.runs.find((r) => r.status === "failed");
  if (failed) return { evidence, status: "not-collected", detail: `${runText(failed)}.${errorsText(failed)} ${missing}` };
  return { evidence, status: "not-collected", detail: `No snapshot was taken in the period. ${missing}` };
}

function auditRetentionItem(snapshots: PeriodSnapshots): CoverageItem {
  const evidence = EVIDENCE_LABELS["audit-retention-config"];
  const run = snapshots.runs.find((r) => r.status !== "failed" && (r.itemsByKind["audit-configuration"] ?? 0) > 0);
  if (!run) {
    return { evidence, status: "not-collected", detail: "No snapshot of the period read the OCI Audit retention setting (GetConfiguration) or archive retention rules." };
  }
  const rules = `${plural(run.itemsByKind["retention-rule"] ?? 0, "bucket retention rule", "bucket retention rules")} recorded in the same run.`;
  if (run.auditRetentionDays === null) {
    return { evidence, status: "partial", detail: `${runText(run)}: an audit configuration was read but its retentionPeriodDays is missing. ${rules}` };
  }
  return { evidence, status: "collected", detail: `OCI Audit retention period: ${run.auditRetentionDays} days (GetConfiguration; ${runText(run)}). ${rules}` };
}

/**
 * What the store shows was collected for `period`, as of `generatedAt` (ledger rows, snapshot runs
 * and export objects recorded later are not seen): the coverage ledger's account of the audit
 * events, and one coverage item per evidence kind (the input of evaluateControls).
 * @param input.importRunIds the import runs that stored events of the period; `events` their count.
 * @throws TypeError when a ledger row holds a bound that is not an ISO instant (naming the row).
 */
export async function readPackCoverage(
  db: Kysely<Database>,
  input: { period: { start: string; end: string }; generatedAt: string; lookbackMinutes: number; importRunIds: readonly number[]; events: number },
): Promise<{ auditCoverage: PackAuditCoverage; coverage: Record<EvidenceKind, CoverageItem> }> {
  const [auditCoverage, snapshots, exportObjects] = await Promise.all([
    readAuditCoverage(db, input.period, input.generatedAt, input.lookbackMinutes),
    findPeriodSnapshots(db, input.period, input.generatedAt),
    findExportObjectsOfRuns(db, input.importRunIds, input.generatedAt),
  ]);
  const coverage = buildCoverageItems({ auditCoverage, events: input.events, importRuns: input.importRunIds.length, exportObjects, snapshots });
  return { auditCoverage, coverage };
}

/** The coverage items of the pack, one per evidence kind (work-request status is not collected yet). */
function buildCoverageItems(input: {
  auditCoverage: PackAuditCoverage;
  events: number;
  importRuns: number;
  exportObjects: readonly ExportObjectSummary[];
  snapshots: PeriodSnapshots;
}): Record<EvidenceKind, CoverageItem> {
  return {
    "audit-events": auditEventsItem(input.auditCoverage, input.events, input.importRuns, input.exportObjects),
    "key-snapshots": snapshotItem(
      "key-snapshots",
      input.snapshots,
      [["vault", "vault", "vaults"], ["key", "key", "keys"], ["key-version", "key version", "key versions"]],
      "Key age, state and retention cannot be shown.",
    ),
    "resource-snapshots": snapshotItem(
      "resource-snapshots",
      input.snapshots,
      [["resource", "tagged resource", "tagged resources"], ["volume-backup", "volume backup", "volume backups"]],
      "Which resources are in scope and which key they use is unknown.",
    ),
    "audit-retention-config": auditRetentionItem(input.snapshots),
    "work-request-status": {
      evidence: EVIDENCE_LABELS["work-request-status"],
      status: "not-collected",
      detail: "Audit records show ReencryptBucket accepted (HTTP 202), not finished; work request outcomes were not collected.",
    },
  };
}

