/**
 * `events.jsonl.gz`: the raw audit records behind every claim of the pack, as ingested (the stored
 * original JSON text, one record per line, in ingestion order), gzip-compressed. A record that was
 * pretty-printed in its input is re-serialised onto one line: same JSON value, same RFC 8785 hash.
 */
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

/**
 * Writes `rawJsonRecords` (each a JSON text without newlines) to `outPath` as gzip'd JSON Lines.
 * Deterministic: Node's gzip header carries mtime 0, so equal input gives equal bytes.
 * @returns the number of records written.
 */
export async function writeEventsJsonl(rawJsonRecords: AsyncIterable<string>, outPath: string): Promise<number> {
  let count = 0;
  async function* lines(): AsyncGenerator<string> {
    for await (const raw of rawJsonRecords) {
      count += 1;
      yield `${/[\r\n]/.test(raw) ? JSON.stringify(JSON.parse(raw)) : raw}\n`;
    }
  }
  await pipeline(Readable.from(lines()), createGzip({ level: 9 }), createWriteStream(outPath));
  return count;
}
