/** What the streaming splitters hand on: record texts with their line, and problems found on the way. */

/** The bytes of one record (not yet parsed) and the 1-based line where it starts. */
export interface SplitRecord {
  text: Buffer;
  line: number;
}

/** Something wrong in the input, at a 1-based line. */
export interface SplitProblem {
  line: number;
  /** What was expected: "expected ',' or ']' ...". */
  message: string;
  /** True when the problem stands for one rejected record (counted); false for structure-only problems. */
  record: boolean;
}

/** Filled by a splitter's `push` / `end`; the caller empties it after each chunk. */
export interface SplitOutput {
  records: SplitRecord[];
  problems: SplitProblem[];
}

/** Default cap on the size of one record, in bytes: bigger records are skipped and reported. */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

export function newSplitOutput(): SplitOutput {
  return { records: [], problems: [] };
}

export function formatMiB(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB` : `${bytes} bytes`;
}
