/**
 * Sets every entry's modification time in a finished ZIP file to one fixed instant.
 *
 * Why: exceljs' streaming writer zips through archiver and gives every entry the wall-clock time
 * it was appended (no option reaches the per-entry date), so two renders of the same pack would
 * differ in those bytes alone. The ZIP format keeps an entry's time in two places, its local header
 * and its central directory record, as MS-DOS time/date words that no checksum covers; rewriting
 * them in place makes the file a function of its content. Archiver writes no extended-timestamp
 * extra fields, so the DOS words are the only times in the file.
 */
import { open, type FileHandle } from "node:fs/promises";

const EOCD_SIG = 0x06054b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;

/** MS-DOS time and date words of an instant's UTC fields (2-second resolution, 1980..2107). */
export function dosDateTime(date: Date): { time: number; date: number } {
  const ms = Math.min(Math.max(date.getTime(), Date.UTC(1980, 0, 1)), Date.UTC(2107, 11, 31, 23, 59, 58));
  const d = new Date(ms);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new Error(`zip: short read at ${position}`);
  return buffer;
}

interface CentralDirectory {
  offset: number;
  size: number;
  entries: number;
}

/** Finds the central directory from the end-of-central-directory record (ZIP64 aware). */
async function findCentralDirectory(file: FileHandle, fileSize: number): Promise<CentralDirectory> {
  const tailLength = Math.min(fileSize, EOCD_MIN + MAX_COMMENT);
  const tailStart = fileSize - tailLength;
  const tail = await readAt(file, tailStart, tailLength);
  for (let i = tailLength - EOCD_MIN; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== EOCD_SIG || i + EOCD_MIN + tail.readUInt16LE(i + 20) !== tailLength) continue;
    const entries = tail.readUInt16LE(i + 10);
    const size = tail.readUInt32LE(i + 12);
    const offset = tail.readUInt32LE(i + 16);
    if (entries !== 0xffff && size !== 0xffffffff && offset !== 0xffffffff) return { offset, size, entries };
    // ZIP64: the locator sits just before the EOCD record and points at the ZIP64 EOCD record.
    const locatorAt = tailStart + i - 20;
    const locator = await readAt(file, locatorAt, 20);
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIG) throw new Error("zip: ZIP64 locator missing");
    const record = await readAt(file, Number(locator.readBigUInt64LE(8)), 56);
    if (record.readUInt32LE(0) !== ZIP64_EOCD_SIG) throw new Error("zip: ZIP64 end record missing");
    return {
      entries: Number(record.readBigUInt64LE(32)),
      size: Number(record.readBigUInt64LE(40)),
      offset: Number(record.readBigUInt64LE(48)),
    };
  }
  throw new Error("zip: end of central directory not found");
}

/** Local header offset of a central record, taken from its ZIP64 extra field when needed. */
function localHeaderOffset(cd: Buffer, at: number): number {
  const offset32 = cd.readUInt32LE(at + 42);
  if (offset32 !== 0xffffffff) return offset32;
  const nameLength = cd.readUInt16LE(at + 28);
  const extraEnd = at + 46 + nameLength + cd.readUInt16LE(at + 30);
  for (let x = at + 46 + nameLength; x + 4 <= extraEnd; x += 4 + cd.readUInt16LE(x + 2)) {
    if (cd.readUInt16LE(x) !== 0x0001) continue;
    // The ZIP64 extra holds, in order, only the fields whose 32-bit slot is 0xFFFFFFFF.
    let field = x + 4;
    if (cd.readUInt32LE(at + 24) === 0xffffffff) field += 8; // uncompressed size
    if (cd.readUInt32LE(at + 20) === 0xffffffff) field += 8; // compressed size
    return Number(cd.readBigUInt64LE(field));
  }
  throw new Error("zip: ZIP64 local header offset missing");
}

/**
 * Rewrites, in place, the modification time of every entry of the ZIP file at `path` to `date`
 * (UTC fields, clamped to the DOS range 1980..2107, seconds rounded down to even).
 * @returns the number of entries rewritten.
 * @throws Error when the file is not a well-formed ZIP (the file may then be partly rewritten; callers
 *   only run this on a file they have just written and discard it on failure).
 */
export async function normalizeZipTimes(path: string, date: Date): Promise<number> {
  const { time, date: day } = dosDateTime(date);
  const file = await open(path, "r+");
  try {
    const { size: fileSize } = await file.stat();
    const dir = await findCentralDirectory(file, fileSize);
    const cd = await readAt(file, dir.offset, dir.size);
    const stamp = Buffer.alloc(4);
    stamp.writeUInt16LE(time, 0);
    stamp.writeUInt16LE(day, 2);
    let at = 0;
    for (let n = 0; n < dir.entries; n++) {
      if (cd.readUInt32LE(at) !== CENTRAL_SIG) throw new Error(`zip: bad central record ${n}`);
      stamp.copy(cd, at + 12);
      const local = localHeaderOffset(cd, at);
      const signature = await readAt(file, local, 4);
      if (signature.readUInt32LE(0) !== LOCAL_SIG) throw new Error(`zip: bad local header at ${local}`);
      await file.write(stamp, 0, 4, local + 10);
      at += 46 + cd.readUInt16LE(at + 28) + cd.readUInt16LE(at + 30) + cd.readUInt16LE(at + 32);
    }
    await file.write(cd, 0, cd.length, dir.offset);
    return dir.entries;
  } finally {
    await file.close();
  }
}
