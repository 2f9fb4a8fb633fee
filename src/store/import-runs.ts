/**
 * Queries for `import_run` and `import_file`: the record of every ingestion run and of each input
 * it read. Query functions take `db` first so they run inside a transaction too (STYLE §6, §7).
 */
import type { Kysely } from "kysely";
import type { Database, ImportFileRow, ImportRunRow } from "./schema.js";

/** Import run status: "running" until finished, then how it ended. */
export type ImportRunStatus = "running" | "succeeded" | "partial" | "failed";

/** Counts kept on both runs and files. */
export interface ImportCounts {
  recordsRead: number;
  recordsStored: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
}

/** One import run, camelCased; instants are ISO UTC. */
export interface ImportRunRecord extends ImportCounts {
  id: number;
  source: string;
  startedAt: string;
  finishedAt: string | null;
  status: ImportRunStatus;
  filesTotal: number;
  filesRejected: number;
  /** The first 1000 `file:line: message` errors. */
  errors: string[];
}

/** At most this many error messages are kept on a run. */
export const MAX_STORED_ERRORS = 1000;

/** Starts a run (status "running") and returns its id. */
export async function insertImportRun(
  db: Kysely<Database>,
  run: { source: string; startedAt: string; filesTotal: number },
): Promise<number> {
  const row = await db
    .insertInto("import_run")
    .values({
      source: run.source,
      started_at: run.startedAt,
      finished_at: null,
      status: "running",
      files_total: run.filesTotal,
      files_rejected: 0,
      records_read: 0,
      records_stored: 0,
      duplicates: 0,
      conflicts: 0,
      rejected: 0,
      errors_json: "[]",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Records how a run ended. `errors` beyond {@link MAX_STORED_ERRORS} are dropped. */
export async function finishImportRun(
  db: Kysely<Database>,
  id: number,
  end: ImportCounts & { finishedAt: string; status: Exclude<ImportRunStatus, "running">; filesRejected: number; errors: readonly string[] },
): Promise<void> {
  await db
    .updateTable("import_run")
    .set({
      finished_at: end.finishedAt,
      status: end.status,
      files_rejected: end.filesRejected,
      records_read: end.recordsRead,
      records_stored: end.recordsStored,
      duplicates: end.duplicates,
      conflicts: end.conflicts,
      rejected: end.rejected,
      errors_json: JSON.stringify(end.errors.slice(0, MAX_STORED_ERRORS)),
    })
    .where("id", "=", id)
    .execute();
}

/** One input of a run; `sha256` is null when the file was not read to its end. */
export interface NewImportFile extends ImportCounts {
  importRunId: number;
  path: string;
  sizeBytes: number;
  sha256: string | null;
  status: "committed" | "rejected";
  error: string | null;
  finishedAt: string;
}

/** Records one input file; for a committed file, call it inside the transaction that stored its events. */
export async function insertImportFile(db: Kysely<Database>, file: NewImportFile): Promise<void> {
  await db
    .insertInto("import_file")
    .values({
      import_run_id: file.importRunId,
      path: file.path,
      size_bytes: file.sizeBytes,
      sha256: file.sha256,
      status: file.status,
      records_read: file.recordsRead,
      records_stored: file.recordsStored,
      duplicates: file.duplicates,
      conflicts: file.conflicts,
      rejected: file.rejected,
      error: file.error,
      finished_at: file.finishedAt,
    })
    .execute();
}

function toImportRunRecord(row: ImportRunRow): ImportRunRecord {
  let errors: string[] = [];
  try {
    const parsed: unknown = JSON.parse(row.errors_json);
    if (Array.isArray(parsed)) errors = parsed.map(String);
  } catch {
    errors = [];
  }
  return {
    id: row.id,
    source: row.source,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status as ImportRunStatus,
    filesTotal: row.files_total,
    filesRejected: row.files_rejected,
    recordsRead: row.records_read,
    recordsStored: row.records_stored,
    duplicates: row.duplicates,
    conflicts: row.conflicts,
    rejected: row.rejected,
    errors,
  };
}

/**
 * Import runs, oldest first, optionally those started in [startedFrom, startedBefore) (ISO UTC
 * text, compared as canonical text) and at most `limit` of them.
 */
export async function findImportRuns(
  db: Kysely<Database>,
  filter: { startedFrom?: string; startedBefore?: string; limit?: number } = {},
): Promise<ImportRunRecord[]> {
  let q = db.selectFrom("import_run").selectAll().orderBy("id");
  if (filter.startedFrom !== undefined) q = q.where("started_at", ">=", filter.startedFrom);
  if (filter.startedBefore !== undefined) q = q.where("started_at", "<", filter.startedBefore);
  if (filter.limit !== undefined) q = q.limit(filter.limit);
  return (await q.execute()).map(toImportRunRecord);
}

/** One run by id, or undefined. */
export async function findImportRunById(db: Kysely<Database>, id: number): Promise<ImportRunRecord | undefined> {
  const row = await db.selectFrom("import_run").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toImportRunRecord(row) : undefined;
}

/** The files of one run, in the order they were read. */
export async function findImportFiles(db: Kysely<Database>, importRunId: number): Promise<ImportFileRow[]> {
  return db.selectFrom("import_file").selectAll().where("import_run_id", "=", importRunId).orderBy("id").execute();
}
