/**
 * `events.jsonl.gz`: the raw audit records behind every claim of the pack, as ingested, one record
 * per line in ingestion order, gzip-compressed, with credentials redacted (redact-audit-record.ts):
 * session tokens and auth headers never leave the store. Every other field is as OCI wrote it.
 */
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { redactAuditRecord } from "./redact-audit-record.js";

/**
 * Writes `rawJsonRecords` (each the stored JSON text of one record) to `outPath` as gzip'd JSON
 * Lines, each record redacted and on one line.
 * Deterministic: Node's gzip header carries mtime 0, so equal input gives equal bytes.
 * @returns the number of records written.
 */
export async function writeEventsJsonl(rawJsonRecords: AsyncIterable<string>, outPath: string): Promise<number> {
  let count = 0;
  async function* lines(): AsyncGenerator<string> {
    for await (const raw of rawJsonRecords) {
      count += 1;
      yield `${JSON.stringify(redactAuditRecord(JSON.parse(raw)))}\n`;
    }
  }
  await pipeline(Readable.from(lines()), createGzip({ level: 9 }), createWriteStream(outPath));
  return count;
}
