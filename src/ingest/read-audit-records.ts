/**
 * Reads normalised audit events from one input's decompressed chunks, batch by batch, with bounded
 * memory. Layout is detected from the first bytes (after a UTF-8 BOM):
 * - `[` → one or more JSON arrays (Audit ListEvents pages, Service Connector batches), cut by
 *   {@link JsonValueSplitter} so a multi-GB array streams;
 * - `{` whose first line is a complete value → JSON Lines, cut at newline bytes;
 * - `{` spanning lines → pretty-printed object(s), cut by {@link JsonValueSplitter};
 * - anything else → not JSON: the whole input is rejected at once.
 * A value `{"results": [...]}` (a Logging SearchLogs response) yields `results[i].data`; a JSON
 * Lines line holding an array yields its elements. Bad records become `path:line: expected ...`.
 */
import { InputRejectedError } from "../app/errors.js";
import type { NormalizedAuditEvent } from "./audit-event.js";
import { describeLeadingBytes, describeParseError } from "./describe-json-value.js";
import { JsonLinesSplitter } from "./json-lines-splitter.js";
import { JsonValueSplitter } from "./json-value-splitter.js";
import { normalizeAuditRecord } from "./normalize-audit-record.js";
import { newSplitOutput, type SplitOutput, type SplitProblem, type SplitRecord } from "./split-types.js";

/** What a run of consecutive records produced. */
export interface AuditRecordBatch {
  events: NormalizedAuditEvent[];
  /** `path:line: expected ..., got ...`, in input order. */
  errors: string[];
  /** Records rejected in this batch (an error may also be structural and reject none). */
  rejected: number;
}

export interface ReadAuditRecordsOptions {
  /** Records above this size are skipped and reported (bytes). */
  maxRecordBytes: number;
}

type Layout = "lines" | "values";

/** Events per yielded batch: small, so that a batch's parsed records are short-lived. */
const RECORDS_PER_BATCH = 16;

/** How far to look for the end of the first line before treating the input as one big value. */
const DETECT_LIMIT_BYTES = 1024 * 1024;

interface Splitter {
  push(chunk: Buffer, out: SplitOutput): void;
  end(out: SplitOutput): void;
}

function firstNonWhitespace(buf: Buffer): number {
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return i;
  }
  return -1;
}

/**
 * Picks the layout from the head of the input; "blank" = only whitespace so far, undefined = need
 * more bytes. Throws an {@link InputRejectedError} when the input is not JSON at all.
 */
function detectLayout(path: string, head: Buffer, eof: boolean, maxRecordBytes: number): Layout | "blank" | undefined {
  const start = firstNonWhitespace(head);
  if (start === -1) return "blank";
  const first = head[start];
  if (first === 0x5b) return "values";
  if (first !== 0x7b) {
    throw new InputRejectedError(
      `${path}: expected JSON audit data (a JSON array, a JSON object or JSON Lines), got ${describeLeadingBytes(head.subarray(start))}`,
    );
  }
  const nl = head.indexOf(0x0a, start);
  if (nl === -1) return eof || head.length >= DETECT_LIMIT_BYTES ? "values" : undefined;
  // JSON Lines iff the first line holds exactly one complete value.
  const probe = new JsonValueSplitter(maxRecordBytes);
  probe.push(head.subarray(start, nl), newSplitOutput());
  return probe.complete && probe.recordCount === 1 ? "lines" : "values";
}

function countNewlines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** Reads one input; see the module comment. Construct, then iterate {@link batches} once. */
export class AuditRecordReader {
  /** Records found so far (stored or rejected). */
  recordsRead = 0;
  /** Events that normalised so far. */
  eventsRead = 0;
  /** The input held something besides whitespace (and a BOM). */
  sawContent = false;

  constructor(
    private readonly path: string,
    private readonly chunks: AsyncIterable<Buffer>,
    private readonly options: ReadAuditRecordsOptions,
  ) {}

  /** Batches in input order (a few per input chunk). Throws InputRejectedError for input that is not JSON. */
  async *batches(): AsyncGenerator<AuditRecordBatch> {
    const { maxRecordBytes } = this.options;
    let splitter: Splitter | undefined;
    let head: Buffer[] = [];
    // Leading blank chunks are dropped (a file of spaces must not fill memory); their lines still count.
    let blankLines = 0;
    let first = true;

    const detect = (eof: boolean, out: SplitOutput): boolean => {
      const buf = Buffer.concat(head);
      const layout = detectLayout(this.path, buf, eof, maxRecordBytes);
      if (layout === "blank") {
        blankLines += countNewlines(buf);
        head = [];
        return false;
      }
      if (layout === undefined) return false;
      this.sawContent = true;
      splitter = layout === "lines" ? new JsonLinesSplitter(maxRecordBytes, blankLines) : new JsonValueSplitter(maxRecordBytes, blankLines);
      splitter.push(buf, out);
      head = [];
      return true;
    };

    for await (let chunk of this.chunks) {
      if (first) {
        first = false;
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      }
      const out = newSplitOutput();
      if (splitter) {
        splitter.push(chunk, out);
      } else {
        head.push(chunk);
        if (!detect(false, out)) continue;
      }
      yield* this.toBatches(out);
    }

    const out = newSplitOutput();
    if (!splitter && !detect(true, out)) return;
    splitter?.end(out);
    yield* this.toBatches(out);
  }

  /**
   * Parses and normalises the records of one chunk, {@link RECORDS_PER_BATCH} at a time: parsed
   * records then die young instead of surviving into the old generation (GC was half the time).
   */
  private *toBatches(out: SplitOutput): Generator<AuditRecordBatch> {
    const { records, problems } = out;
    let batch: AuditRecordBatch = { events: [], errors: [], rejected: 0 };
    let p = 0;
    // Records and problems are handed on in line order.
    for (const record of records) {
      for (; p < problems.length && (problems[p] as SplitProblem).line <= record.line; p++) this.problem(problems[p] as SplitProblem, batch);
      this.parseRecord(record, batch);
      if (batch.events.length >= RECORDS_PER_BATCH) {
        yield batch;
        batch = { events: [], errors: [], rejected: 0 };
      }
    }
    for (; p < problems.length; p++) this.problem(problems[p] as SplitProblem, batch);
    if (batch.events.length > 0 || batch.errors.length > 0) yield batch;
  }

  private problem(problem: SplitProblem, batch: AuditRecordBatch): void {
    batch.errors.push(`${this.path}:${problem.line}: ${problem.message}`);
    if (problem.record) {
      batch.rejected++;
      this.recordsRead++;
    }
  }

  private parseRecord(record: SplitRecord, batch: AuditRecordBatch): void {
    const text = record.text.toString("utf8").trim();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.reject(batch, record.line, `expected a JSON audit record, got invalid JSON (${describeParseError(err)})`);
      return;
    }
    if (Array.isArray(value)) {
      // A JSON Lines line holding a batch (array) of records.
      value.forEach((item, i) => this.normalize(item, undefined, record.line, `[${i}]: `, batch));
    } else if (isSearchLogsResponse(value)) {
      const results = value.results;
      if (results.length === 0) return;
      results.forEach((item, i) => {
        const data = typeof item === "object" && item !== null && "data" in item ? (item as { data: unknown }).data : item;
        this.normalize(data, undefined, record.line, `results[${i}]: `, batch);
      });
    } else {
      this.normalize(value, text, record.line, "", batch);
    }
  }

  private normalize(value: unknown, rawJson: string | undefined, line: number, label: string, batch: AuditRecordBatch): void {
    const outcome = normalizeAuditRecord(value, rawJson);
    if (outcome.ok) {
      this.recordsRead++;
      this.eventsRead++;
      batch.events.push(outcome.event);
    } else {
      this.reject(batch, line, `${label}${outcome.message}`);
    }
  }

  private reject(batch: AuditRecordBatch, line: number, message: string): void {
    this.recordsRead++;
    batch.rejected++;
    batch.errors.push(`${this.path}:${line}: ${message}`);
  }
}

/** A Logging SearchLogs response body: `{"results": [...], ...}` that is not itself a record. */
function isSearchLogsResponse(value: unknown): value is { results: unknown[] } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.results) && !("id" in v) && !("eventId" in v) && !("logContent" in v);
}
