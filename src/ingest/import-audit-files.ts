/**
 * `keyproof ingest --file PATH...`: imports OCI audit exports (Audit ListEvents pages, Logging /
 * Service Connector CloudEvents as JSON arrays or JSON Lines, Console/SearchLogs wrappers, Events
 * service messages, Vault crypto logs; gzip or plain; files or directories) into the store,
 * exactly once, with bounded memory and one transaction per file.
 */
import type { Logger } from "../app/logger.js";
import { analyzeAuditEvents } from "../store/analyze-audit-events.js";
import type { Store } from "../store/create-db.js";
import { finishImportRun, insertImportRun, MAX_STORED_ERRORS } from "../store/import-runs.js";
import { formatInstant, type Clock } from "../time/instant.js";
import { expandInputPaths } from "./expand-input-paths.js";
import { ErrorList, importAuditFile } from "./import-audit-file.js";
import { formatSummaryLine, type ImportFileResult, type ImportProgress, type ImportResult, type ImportStatus } from "./import-result.js";
import { DEFAULT_MAX_RECORD_BYTES } from "./split-types.js";

export type { ImportFileResult, ImportProgress, ImportResult, ImportStatus, ImportTotals } from "./import-result.js";

export interface ImportAuditFilesInput {
  /** Files and/or directories (walked recursively, sorted, hidden entries skipped). */
  paths: string[];
  /** Progress of the current file, at most every ~100 ms and once at the end of each file. */
  onProgress?: (progress: ImportProgress) => void;
  /** Records larger than this (bytes) are rejected without being buffered; default 64 MiB. */
  maxRecordBytes?: number;
}

/**
 * Imports every record of `input.paths` and records the run (`import_run`, one `import_file` per
 * file). Each file commits on its own: its good records are kept and its bad records reported as
 * `path:line: expected ..., got ...`; a file that is not audit data, is empty, or is a truncated
 * or corrupt gzip is rolled back whole and reported as `path: ...`. Other files are unaffected.
 *
 * Returns the run's result; `status` is "succeeded" only when nothing was rejected, so a front
 * door should exit non-zero otherwise. Throws a ValidationError naming every missing path before
 * anything is written; rethrows store failures after marking the run "failed".
 */
export async function importAuditFiles(
  deps: { store: Store; clock: Clock; logger: Logger },
  input: ImportAuditFilesInput,
): Promise<ImportResult> {
  const files = await expandInputPaths(input.paths);
  const { store } = deps;
  const now = () => formatInstant(deps.clock.now().getTime());
  const runId = await insertImportRun(store.db, { source: "file", startedAt: now(), filesTotal: files.length });
  const logger = deps.logger.child({ job: "ingest", source: "file", runId });
  logger.info({ files: files.length }, "import started");

  const errors = new ErrorList(MAX_STORED_ERRORS);
  const results: ImportFileResult[] = [];
  const ctx = {
    store,
    logger,
    now,
    runId,
    errors,
    maxRecordBytes: input.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  };

  try {
    for (const [fileIndex, path] of files.entries()) {
      results.push(await importAuditFile(ctx, { path, fileIndex, fileCount: files.length }));
    }
  } catch (err) {
    errors.push(`import stopped by an internal error: ${(err as Error).message}`);
    const totals = sumTotals(results, files.length);
    await finishImportRun(store.db, runId, { ...toRunCounts(totals), finishedAt: now(), status: "failed", errors: errors.kept }).catch(
      (finishErr: unknown) => logger.error({ err: finishErr }, "could not record the failed run"),
    );
    logger.error({ err: loggableError(err) }, "import failed");
    throw err;
  }

  const totals = sumTotals(results, files.length);
  const committed = results.filter((r) => r.status === "committed").length;
  const status: ImportStatus =
    committed === 0 ? "failed" : totals.filesRejected > 0 || totals.rejected > 0 || errors.total > 0 ? "partial" : "succeeded";
  await finishImportRun(store.db, runId, { ...toRunCounts(totals), finishedAt: now(), status, errors: errors.kept });
  if (totals.stored > 0) await analyzeAuditEvents(store);

  const summaryLine = formatSummaryLine(totals);
  logger.info({ status, ...totals }, `import ${status}: ${summaryLine}`);
  return {
    runId,
    status,
    files: results,
    totals,
    errors: errors.kept,
    errorsOmitted: errors.total - errors.kept.length,
    summaryLine,
  };
}

/**
 * What of a store failure goes to the log: not the error object itself, whose extra fields can hold
 * row values (PostgreSQL's `detail: Failing row contains (...)`) and so a record's content (DESIGN §7).
 */
function loggableError(err: unknown): { type: string; code?: string; message: string; stack?: string } {
  if (!(err instanceof Error)) return { type: typeof err, message: "a non-Error value was thrown" };
  const code = (err as { code?: unknown }).code;
  return { type: err.name, ...(typeof code === "string" ? { code } : {}), message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
}

function sumTotals(results: readonly ImportFileResult[], files: number): ImportResult["totals"] {
  const totals = { read: 0, stored: 0, duplicates: 0, conflicts: 0, rejected: 0, files, filesRejected: 0 };
  for (const r of results) {
    totals.read += r.read;
    totals.stored += r.stored;
    totals.duplicates += r.duplicates;
    totals.conflicts += r.conflicts;
    totals.rejected += r.rejected;
    if (r.status === "rejected") totals.filesRejected++;
  }
  return totals;
}

function toRunCounts(t: ImportResult["totals"]) {
  return {
    recordsRead: t.read,
    recordsStored: t.stored,
    duplicates: t.duplicates,
    conflicts: t.conflicts,
    rejected: t.rejected,
    filesRejected: t.filesRejected,
  };
}
