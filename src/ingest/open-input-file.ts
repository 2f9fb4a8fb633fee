/**
 * Opens one input file as a stream of decompressed chunks, never reading it whole. gzip is
 * detected by its magic bytes (1f 8b), not by the name; multi-member gzip (concatenated `.gz`)
 * works. The bytes of the file as read are counted and hashed on the way for the import record.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { pipeline, Transform, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { InputRejectedError } from "../app/errors.js";

const READ_CHUNK_BYTES = 1024 * 1024;
const GUNZIP_CHUNK_BYTES = 256 * 1024;

export interface InputFile {
  path: string;
  /** Size on disk, in bytes (compressed size for gzip). */
  sizeBytes: number;
  gzip: boolean;
  /** Decompressed content. Iterating it throws an {@link InputRejectedError} for read or gzip errors. */
  chunks: AsyncIterable<Buffer>;
  /** Bytes of the file read so far (as stored on disk). */
  bytesRead(): number;
  /** SHA-256 hex of the file bytes, once they have all been read; null before (or if reading stopped early). */
  sha256(): string | null;
}

function describeReadError(path: string, gzip: boolean, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (gzip && typeof e.code === "string" && e.code.startsWith("Z_")) {
    return `${path}: expected complete gzip data, got truncated or corrupt gzip (${e.message})`;
  }
  return `${path}: cannot read the file (${e.code ?? e.message})`;
}

/**
 * Opens `path` for streaming. Throws an {@link InputRejectedError} when it cannot be opened.
 * The caller must consume or abandon `chunks` (breaking out of `for await` closes the file).
 */
export async function openInputFile(path: string): Promise<InputFile> {
  let sizeBytes: number;
  let gzip: boolean;
  try {
    sizeBytes = (await stat(path)).size;
    const fh = await open(path, "r");
    try {
      const magic = Buffer.alloc(2);
      const { bytesRead } = await fh.read(magic, 0, 2, 0);
      gzip = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new InputRejectedError(describeReadError(path, false, err));
  }

  const hash = createHash("sha256");
  let read = 0;
  let digest: string | null = null;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      read += chunk.length;
      cb(null, chunk);
    },
    flush(cb) {
      digest = hash.digest("hex");
      cb();
    },
  });

  async function* chunks(): AsyncGenerator<Buffer> {
    const raw = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
    // Errors of any stage surface through the last stream's iterator; the callback only ends the pipeline.
    const out: Readable = gzip
      ? pipeline(raw, tap, createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }), () => {})
      : pipeline(raw, tap, () => {});
    try {
      for await (const chunk of out) yield chunk as Buffer;
    } catch (err) {
      throw new InputRejectedError(describeReadError(path, gzip, err));
    } finally {
      out.destroy();
    }
  }

  return { path, sizeBytes, gzip, chunks: chunks(), bytesRead: () => read, sha256: () => digest };
}
