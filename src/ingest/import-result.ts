/** What {@link importAuditFiles} reports, per file and in total, and how progress is signalled. */

/** How a run ended: every file and record kept, some rejected, or nothing committed at all. */
export type ImportStatus = "succeeded" | "partial" | "failed";

/** Progress of the file being read; sent at most every ~100 ms, and once when each file is done. */
export interface ImportProgress {
  /** The file being read, as given or found under a given directory. */
  path: string;
  /** 0-based position of the file in the run, and the number of files. */
  fileIndex: number;
  fileCount: number;
  /** Bytes of this file read so far, as stored on disk (compressed for gzip). */
  bytesRead: number;
  /** Size of this file on disk, in bytes. */
  bytesTotal: number;
  /** Records read so far in this file (stored, duplicate or rejected). */
  records: number;
  /** True on the last call for this file. */
  done: boolean;
}

/**
 * Counts for a file or a run. Invariant: `read = stored + duplicates + rejected`. `conflicts` are
 * included in `stored` (a conflicting record is kept as a new row). Every record of a rejected
 * (rolled-back) file counts as rejected.
 */
export interface ImportTotals {
  read: number;
  stored: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
}

export interface ImportFileResult extends ImportTotals {
  path: string;
  /** committed: its good records are stored; rejected: nothing of it was stored. */
  status: "committed" | "rejected";
  sizeBytes: number;
  /** SHA-256 hex of the file bytes; null when the file was not read to its end. */
  sha256: string | null;
  /** Why the file was rejected; null when committed. */
  error: string | null;
}

export interface ImportResult {
  /** `import_run.id` of this run. */
  runId: number;
  /** succeeded: nothing rejected; partial: some records or files rejected; failed: no file committed. */
  status: ImportStatus;
  files: ImportFileResult[];
  totals: ImportTotals & { files: number; filesRejected: number };
  /** `path:line: expected ..., got ...` and `path: ...` messages, the first 1000. */
  errors: string[];
  /** Messages beyond the first 1000 that were counted but not kept. */
  errorsOmitted: number;
  /** `read 199, stored 199, duplicates 0, conflicts 0, rejected 0 (2 files, 0 rejected)`. */
  summaryLine: string;
}

export function formatSummaryLine(totals: ImportResult["totals"]): string {
  return (
    `read ${totals.read}, stored ${totals.stored}, duplicates ${totals.duplicates}, ` +
    `conflicts ${totals.conflicts}, rejected ${totals.rejected} ` +
    `(${totals.files} ${totals.files === 1 ? "file" : "files"}, ${totals.filesRejected} rejected)`
  );
}
