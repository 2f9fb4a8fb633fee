/**
 * Imports one input file in one write transaction: its good records and its import_file row
 * commit together, or — when the file is not audit data, is empty, or cannot be read or
 * decompressed — nothing of it is kept and a rejected import_file row says why (DESIGN §7).
 */
import type { Kysely } from "kysely";
import { InputRejectedError } from "../app/errors.js";
import type { Logger } from "../app/logger.js";
import { withAuditEventWriter } from "../store/audit-event-writer.js";
import type { Store } from "../store/create-db.js";
import { insertImportFile } from "../store/import-runs.js";
import type { Database } from "../store/schema.js";
import type { ImportFileResult, ImportProgress } from "./import-result.js";
import { openInputFile, type InputFile } from "./open-input-file.js";
import { AuditRecordReader } from "./read-audit-records.js";

const PROGRESS_INTERVAL_MS = 100;
const PROGRESS_LOG_INTERVAL_MS = 10_000;
const NOTHING_STORED = "nothing from this file was stored";

/** Error messages of a run: the first `limit` are kept, the rest only counted. */
export class ErrorList {
  readonly kept: string[] = [];
  total = 0;
  constructor(private readonly limit: number) {}
  push(message: string): void {
    this.total++;
    if (this.kept.length < this.limit) this.kept.push(message);
  }
}

export interface FileImportContext {
  store: Store;
  logger: Logger;
  /** Current instant, canonical ISO UTC (from the injected clock). */
  now: () => string;
  runId: number;
  errors: ErrorList;
  maxRecordBytes: number;
  onProgress?: (progress: ImportProgress) => void;
  /**
   * Runs inside the file's write transaction, after its import_file row, for a committed file only:
   * a row that must commit with the file's events (the export bucket's export_object). Throwing
   * rolls the whole file back and is rethrown as a store failure.
   */
  onCommit?: (db: Kysely<Database>, result: ImportFileResult) => Promise<void>;
  /**
   * Opens the input named `path` (default {@link openInputFile}): lets a caller read a local copy
   * of a remote object while the import record and every message name the object (`oci://...`).
   */
  openInput?: (path: string) => Promise<InputFile>;
}

/**
 * Imports `path` (position `fileIndex` of `fileCount`). Input problems never throw: they are
 * returned as a rejected file and pushed to `ctx.errors`. Store failures are rethrown after rollback.
 */
export async function importAuditFile(ctx: FileImportContext, file: { path: string; fileIndex: number; fileCount: number }): Promise<ImportFileResult> {
  const { path } = file;
  let input: InputFile | undefined;
  let reader: AuditRecordReader | undefined;
  let lastProgress = -Infinity;
  let lastLog = performance.now();

  const progress = (done: boolean): void => {
    const t = performance.now();
    const bytesRead = input?.bytesRead() ?? 0;
    const records = reader?.recordsRead ?? 0;
    if (done || t - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = t;
      ctx.onProgress?.({ path, fileIndex: file.fileIndex, fileCount: file.fileCount, bytesRead, bytesTotal: input?.sizeBytes ?? 0, records, done });
    }
    if (!done && t - lastLog >= PROGRESS_LOG_INTERVAL_MS) {
      lastLog = t;
      ctx.logger.info({ path, bytesRead, bytesTotal: input?.sizeBytes, records }, "import progress");
    }
  };

  const result = await withAuditEventWriter(ctx.store, { importRunId: ctx.runId, storedAt: ctx.now() }, async (writer, db) => {
    let rejection: string | null = null;
    try {
      input = await (ctx.openInput ?? openInputFile)(path);
      reader = new AuditRecordReader(path, input.chunks, { maxRecordBytes: ctx.maxRecordBytes });
      progress(false);
      for await (const batch of reader.batches()) {
        for (const message of batch.errors) ctx.errors.push(message);
        await writer.write(batch.events);
        progress(false);
      }
      await writer.flush();
    } catch (err) {
      if (!(err instanceof InputRejectedError)) throw err;
      rejection = err.message;
    }
    const read = reader?.recordsRead ?? 0;
    if (rejection === null && (reader?.eventsRead ?? 0) === 0) {
      rejection = !reader?.sawContent
        ? `${path}: expected audit records, got an empty file`
        : read === 0
          ? `${path}: not audit data: expected audit records, got none`
          : `${path}: not audit data: expected audit records, got ${read === 1 ? "1 record that is not one" : `${read} records none of which is one`}`;
    }
    const base = { path, sizeBytes: input?.sizeBytes ?? 0, sha256: input?.sha256() ?? null, read };
    if (rejection !== null) {
      const value: ImportFileResult = { ...base, status: "rejected", stored: 0, duplicates: 0, conflicts: 0, rejected: read, error: `${rejection}; ${NOTHING_STORED}` };
      return { commit: false, value };
    }
    const { stored, duplicates, conflicts } = writer.counts;
    const value: ImportFileResult = { ...base, status: "committed", stored, duplicates, conflicts, rejected: read - stored - duplicates, error: null };
    // The file's record commits with its events: a crash leaves both or neither (DESIGN §4).
    await insertImportFile(db, toImportFileRow(ctx, value));
    await ctx.onCommit?.(db, value);
    return { commit: true, value };
  });

  if (result.status === "rejected") {
    ctx.errors.push(result.error as string);
    await insertImportFile(ctx.store.db, toImportFileRow(ctx, result));
    ctx.logger.warn({ path, error: result.error, read: result.read }, "file rejected");
  } else {
    const { stored, duplicates, conflicts, rejected } = result;
    ctx.logger.info({ path, bytes: result.sizeBytes, read: result.read, stored, duplicates, conflicts, rejected }, "file imported");
  }
  progress(true);
  return result;
}

function toImportFileRow(ctx: FileImportContext, r: ImportFileResult) {
  return {
    importRunId: ctx.runId,
    path: r.path,
    sizeBytes: r.sizeBytes,
    sha256: r.sha256,
    status: r.status,
    recordsRead: r.read,
    recordsStored: r.stored,
    duplicates: r.duplicates,
    conflicts: r.conflicts,
    rejected: r.rejected,
    error: r.error,
    finishedAt: ctx.now(),
  };
}
