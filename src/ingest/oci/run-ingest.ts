/**
 * One ingestion run from OCI (issue 5 item 7): what `keyproof ingest` runs once and what the
 * scheduler calls on its ingestion cron. Steps, each recorded and each independent of the others'
 * failures (DESIGN §3 rule 7: a failed part is reported, never hidden, and never stops the rest):
 * 1. audit events: Audit ListEvents per compartment, or Logging Search (config.ingest.audit);
 * 2. the Service Connector export bucket (config.ingest.exportBucket), when configured;
 * 3. a state snapshot (config.ingest.snapshots), when the last one that succeeded is older than
 *    ingest.snapshotIntervalHours;
 * 4. the archive mirror and its retention check (config.ingest.archiveBucket), when configured.
 * Every event stored belongs to one import_run (source "oci"), finished with the run's totals.
 */
import { AppError } from "../../app/errors.js";
import { finishImportRun, insertImportRun } from "../../store/import-runs.js";
import { listSnapshotRuns, type SnapshotRun } from "../../store/snapshots.js";
import type { IngestDeps, SourceResult } from "./ingest-deps.js";
import { importExportBucket, type ExportBucketResult } from "./import-export-bucket.js";
import { ingestListEvents } from "./ingest-list-events.js";
import { ingestLoggingSearch } from "./ingest-logging-search.js";
import { mirrorArchive, type ArchiveMirrorResult } from "./mirror-archive.js";
import { takeSnapshot, type SnapshotResult } from "./take-snapshot.js";

export type IngestStep = "audit" | "export-bucket" | "snapshot" | "archive";
export type IngestRunStatus = "succeeded" | "partial" | "failed";

/** How one step ended. `error` is set when the step could not run at all (e.g. ListCompartments failed). */
export interface IngestStepOutcome {
  step: IngestStep;
  status: IngestRunStatus | "skipped";
  /** One line for the CLI and logs. */
  summary: string;
  error: string | null;
}

export interface IngestRunResult {
  importRunId: number;
  status: IngestRunStatus;
  startedAt: string;
  finishedAt: string;
  steps: IngestStepOutcome[];
  audit: SourceResult | null;
  exportBucket: ExportBucketResult | null;
  snapshot: SnapshotResult | null;
  archive: ArchiveMirrorResult | null;
}

export interface RunIngestOptions {
  /** Steps to run (default: every configured one). */
  steps?: readonly IngestStep[];
}

/**
 * Runs the configured steps once.
 * @returns the run's result; status "failed" when every step that ran failed, "partial" when some
 *   failed or some window/object/read failed, else "succeeded".
 * @throws errors that are not AppErrors (a store failure, a bug); AppErrors of a step (OCI
 *   unavailable, invalid answers) are recorded on that step instead.
 */
export async function runIngest(deps: Omit<IngestDeps, "importRunId">, options: RunIngestOptions = {}): Promise<IngestRunResult> {
  const { config } = deps;
  const wanted = new Set<IngestStep>(options.steps ?? ["audit", "export-bucket", "snapshot", "archive"]);
  const startedAt = deps.now();
  const importRunId = await insertImportRun(deps.store.db, { source: "oci", startedAt, filesTotal: 0 });
  const stepDeps: IngestDeps = { ...deps, importRunId };
  const steps: IngestStepOutcome[] = [];
  const result: IngestRunResult = {
    importRunId, status: "succeeded", startedAt, finishedAt: startedAt, steps,
    audit: null, exportBucket: null, snapshot: null, archive: null,
  };

  async function step<T>(name: IngestStep, enabled: boolean, why: string, run: () => Promise<T>, judge: (value: T) => { status: IngestRunStatus; summary: string }): Promise<T | null> {
    if (!wanted.has(name)) return null;
    if (!enabled) {
      steps.push({ step: name, status: "skipped", summary: why, error: null });
      return null;
    }
    try {
      const value = await run();
      steps.push({ step: name, ...judge(value), error: null });
      return value;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      deps.logger.error({ step: name, code: err.code, err: err.message }, "ingest step failed");
      steps.push({ step: name, status: "failed", summary: err.message, error: err.message });
      return null;
    }
  }

  const audit = config.ingest.audit;
  result.audit = await step(
    "audit", audit !== "none", "config.ingest.audit is none",
    () => (audit === "logging-search" ? ingestLoggingSearch(stepDeps) : ingestListEvents(stepDeps)),
    (r) => ({
      status: r.windowsFailed === 0 ? "succeeded" : r.windowsCollected > 0 ? "partial" : "failed",
      summary: `${r.source}: ${r.scopes} scope(s), ${r.windowsCollected} window(s) collected, ${r.windowsFailed} failed; ` +
        `read ${r.eventsRead}, stored ${r.eventsStored}, duplicates ${r.duplicates}, conflicts ${r.conflicts}`,
    }),
  );
  result.exportBucket = await step(
    "export-bucket", config.ingest.exportBucket !== undefined, "config.ingest.exportBucket is not set",
    () => importExportBucket(stepDeps),
    (r) => ({
      status: r.listing === "complete" && r.failed + r.rejected === 0 ? "succeeded" : r.imported + r.skipped > 0 ? "partial" : r.listed === 0 && r.listing === "complete" ? "succeeded" : "failed",
      summary: describeExport(r),
    }),
  );
  const lastSnapshot = config.ingest.snapshots && wanted.has("snapshot") ? await recentSnapshot(deps, startedAt) : null;
  result.snapshot = await step(
    "snapshot", config.ingest.snapshots && lastSnapshot === null,
    lastSnapshot === null ? "config.ingest.snapshots is false" : `snapshot ${lastSnapshot.id} of ${lastSnapshot.observedAt} is less than ingest.snapshotIntervalHours (${config.ingest.snapshotIntervalHours}) old`,
    () => takeSnapshot(stepDeps),
    (r) => ({ status: r.status, summary: describeSnapshot(r) }),
  );
  result.archive = await step(
    "archive", config.ingest.archiveBucket !== undefined, "config.ingest.archiveBucket is not set",
    () => mirrorArchive(stepDeps),
    (r) => ({ status: r.failed.length === 0 && r.errors.length === 0 && r.retention?.ok === true ? "succeeded" : r.uploaded.length + r.upToDate > 0 ? "partial" : "failed", summary: describeArchive(r) }),
  );

  const ran = steps.filter((s) => s.status !== "skipped");
  result.status = ran.length > 0 && ran.every((s) => s.status === "failed") ? "failed" : ran.some((s) => s.status !== "succeeded") ? "partial" : "succeeded";
  result.finishedAt = deps.now();
  const a = result.audit;
  const e = result.exportBucket;
  await finishImportRun(deps.store.db, importRunId, {
    finishedAt: result.finishedAt,
    status: result.status,
    filesRejected: e?.rejected ?? 0,
    recordsRead: (a?.eventsRead ?? 0) + (e?.eventsRead ?? 0),
    recordsStored: (a?.eventsStored ?? 0) + (e?.eventsStored ?? 0),
    duplicates: (a?.duplicates ?? 0) + (e?.duplicates ?? 0),
    conflicts: (a?.conflicts ?? 0) + (e?.conflicts ?? 0),
    rejected: 0,
    errors: [
      ...(a?.failures ?? []).map((f) => `${f.source} ${f.scopeId} ${f.windowStart}..${f.windowEnd}: ${f.reason}: ${f.detail}`),
      ...(e?.errors ?? []),
      ...(result.snapshot?.errors ?? []).map((m) => `snapshot: ${m}`),
      ...(result.archive?.errors ?? []).map((m) => `archive: ${m}`),
      ...steps.filter((s) => s.error !== null).map((s) => `${s.step}: ${s.error}`),
    ],
  });
  return result;
}

/** The last succeeded snapshot younger than ingest.snapshotIntervalHours, or null when one is due. */
async function recentSnapshot(deps: Omit<IngestDeps, "importRunId">, now: string): Promise<SnapshotRun | null> {
  const hours = deps.config.ingest.snapshotIntervalHours;
  if (hours === 0) return null;
  const from = new Date(Date.parse(now) - hours * 3_600_000).toISOString();
  const runs = await listSnapshotRuns(deps.store.db, { from });
  return runs.filter((r) => r.status === "succeeded" && r.observedAt > from).at(-1) ?? null;
}

function describeExport(r: ExportBucketResult): string {
  return `export bucket ${r.scope ?? "?"}: listing ${r.listing}, ${r.listed} object(s) listed, ${r.imported} imported, ${r.skipped} already imported, ${r.rejected} rejected, ${r.failed} failed; ` +
    `stored ${r.eventsStored}, duplicates ${r.duplicates}`;
}

function describeSnapshot(r: SnapshotResult): string {
  const counts = Object.entries(r.counts).map(([kind, n]) => `${kind} ${n}`).join(", ");
  return `snapshot ${r.runId} ${r.status}: ${counts}${r.errors.length ? `; ${r.errors.length} read(s) failed` : ""}`;
}

function describeArchive(r: ArchiveMirrorResult): string {
  const retention = r.retention === null ? "not checked" : r.retention.ok ? "ok" : `NOT ok: ${r.retention.message}`;
  return `archive mirror: ${r.uploaded.length} month(s) uploaded, ${r.upToDate} up to date, ${r.failed.length} failed; retention ${retention}`;
}
