/**
 * The ingestion benchmark's two export files (bench/ingest-bench.ts): N records of
 * bench/synthetic-export.ts (~2.3 KB each, spread over the month), and the first N/4 of them as the
 * small file. Cutting the big file is ~5× faster than generating a second one, and the small file
 * then holds exactly the records the full run starts with (same records per day, a quarter of the days).
 */
import { createReadStream, createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants, createGunzip, createGzip } from "node:zlib";
import { writeSyntheticExport } from "./synthetic-export.js";

export interface ExportFile {
  path: string;
  events: number;
  /** Size on disk (gzip), bytes. */
  bytes: number;
}

export interface ExportFiles {
  full: ExportFile;
  /** The first quarter of `full`. */
  small: ExportFile;
}

/** The first `lines` lines of a gzip JSON Lines file, as Buffers ending in "\n". */
async function* firstLines(file: string, lines: number): AsyncGenerator<Buffer> {
  let left = lines;
  for await (const chunk of createReadStream(file).pipe(createGunzip()) as AsyncIterable<Buffer>) {
    let pos = 0;
    while (left > 0) {
      const nl = chunk.indexOf(0x0a, pos);
      if (nl === -1) break;
      pos = nl + 1;
      left--;
    }
    yield left > 0 ? chunk : chunk.subarray(0, pos);
    if (left === 0) return;
  }
}

/** Writes `export-full.jsonl.gz` (`events` records over `month`, YYYY-MM) and `export-small.jsonl.gz` (its first ⌊events/4⌋) into `dir`. */
export async function writeExportFiles(dir: string, events: number, month: string): Promise<ExportFiles> {
  const full = `${dir}/export-full.jsonl.gz`;
  const small = `${dir}/export-small.jsonl.gz`;
  const fullBytes = await writeSyntheticExport(full, { events, month });
  const smallEvents = Math.floor(events / 4);
  await pipeline(Readable.from(firstLines(full, smallEvents)), createGzip({ level: constants.Z_BEST_SPEED }), createWriteStream(small));
  return { full: { path: full, events, bytes: fullBytes }, small: { path: small, events: smallEvents, bytes: (await stat(small)).size } };
}
