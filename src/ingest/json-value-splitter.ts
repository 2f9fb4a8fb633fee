/**
 * Streaming splitter for JSON that cannot be cut at newlines: a (multi-GB) top-level array, a
 * pretty-printed object, or several such values in a row. It does not parse; it tracks string,
 * escape and bracket-depth state byte by byte and cuts out each element of a top-level array and
 * each top-level object, with the line where it starts. Each record is then parsed on its own with
 * JSON.parse, so one malformed element is reported at its line and the others are kept.
 *
 * Why not a library (stream-json): its tokens carry no line numbers, one syntax error ends the
 * whole stream, and its JS tokenizer is several times slower than JSON.parse on the records.
 */
import { describeJunk } from "./describe-json-value.js";
import { formatMiB, type SplitOutput } from "./split-types.js";

const NL = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === NL || b === 0x0d || b === 0x09;
}

export class JsonValueSplitter {
  /** Current 1-based line. */
  private line = 1;
  /** Open brackets and braces, the top-level array included. */
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Inside a top-level array (elements are the records). */
  private inArray = false;
  private arrayLine = 0;
  /** A ',' was seen in the current array and no element has started since. */
  private afterComma = false;
  /** Skipping the rest of a line of junk found between top-level values. */
  private skipLine = false;
  /** The junk being skipped: its line, its length so far, and whether it looks binary. */
  private junkLine = 0;
  private junkBytes = 0;
  private junkBinary = false;

  private inRecord = false;
  private recordLine = 0;
  private recordStart = 0;
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private oversize = false;
  private recordsCut = 0;

  /** `linesBefore`: lines already consumed by the caller (leading blank lines it dropped). */
  constructor(
    private readonly maxRecordBytes: number,
    linesBefore = 0,
  ) {
    this.line = 1 + linesBefore;
  }

  /** True when every value seen so far is complete (depth 0, not in a string). */
  get complete(): boolean {
    return this.depth === 0 && !this.inString && !this.inRecord;
  }

  /** Records cut so far. */
  get recordCount(): number {
    return this.recordsCut;
  }

  /** Cuts every record completed in `chunk` into `out`; keeps an unfinished record for the next call. */
  push(chunk: Buffer, out: SplitOutput): void {
    this.recordStart = 0;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const b = chunk[i] as number;
      if (b === NL) {
        if (this.skipLine) {
          this.endJunk(out);
          this.line++;
          continue;
        }
        this.line++;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) this.inString = false;
        continue;
      }
      if (this.skipLine) {
        this.countJunk(b);
        continue;
      }

      if (!this.inRecord) {
        if (isWhitespace(b)) continue;
        if (this.depth === 0) {
          if (b === LBRACKET) {
            this.depth = 1;
            this.inArray = true;
            this.arrayLine = this.line;
            this.afterComma = false;
            continue;
          }
          if (b !== LBRACE) {
            // Reported when the line ends, by its length only: the junk may be a secret (DESIGN §7).
            this.skipLine = true;
            this.junkLine = this.line;
            this.junkBytes = 0;
            this.junkBinary = false;
            this.countJunk(b);
            continue;
          }
        } else if (b === COMMA) {
          out.problems.push({ line: this.line, message: "expected a JSON value before ','", record: true });
          this.afterComma = true;
          continue;
        } else if (b === RBRACKET) {
          if (this.afterComma) out.problems.push({ line: this.line, message: "expected a JSON value after ',', got ']'", record: false });
          this.depth = 0;
          this.inArray = false;
          continue;
        }
        // A record starts here: an array element of any kind, or a top-level object.
        this.inRecord = true;
        this.recordLine = this.line;
        this.recordStart = i;
        this.afterComma = false;
      }

      // Inside a record.
      if (b === QUOTE) {
        this.inString = true;
      } else if (b === LBRACE || b === LBRACKET) {
        this.depth++;
      } else if (b === RBRACE || b === RBRACKET) {
        if (this.inArray && this.depth === 1) {
          // ']' closes the top-level array and ends the element; a stray '}' stays in the element.
          if (b === RBRACKET) {
            this.cut(chunk, i, out);
            this.depth = 0;
            this.inArray = false;
          }
        } else {
          this.depth--;
          if (!this.inArray && this.depth === 0) this.cut(chunk, i + 1, out);
        }
      } else if (b === COMMA && this.inArray && this.depth === 1) {
        this.cut(chunk, i, out);
        this.afterComma = true;
      }
    }
    if (this.inRecord) this.keep(chunk.subarray(this.recordStart));
  }

  /** Reports a value left open at the end of the input. */
  end(out: SplitOutput): void {
    if (this.skipLine) this.endJunk(out);
    if (this.inRecord && this.inArray && this.depth === 1 && !this.inString) {
      // The last element is closed but the array is not: keep the element, report the array.
      this.cut(Buffer.alloc(0), 0, out);
    }
    if (this.inRecord) {
      out.problems.push({
        line: this.recordLine,
        message: "expected a complete JSON value, got the end of the input (truncated?)",
        record: true,
      });
    } else if (this.inArray) {
      out.problems.push({
        line: this.arrayLine,
        message: "expected ']' closing the JSON array that starts here, got the end of the input (truncated?)",
        record: false,
      });
    }
    this.inRecord = false;
    this.inArray = false;
    this.depth = 0;
    this.parts = [];
    this.partsBytes = 0;
  }

  private countJunk(b: number): void {
    if (b === 0x0d) return; // the CR of a CRLF line end
    this.junkBytes++;
    if (b === 0 || (b < 0x20 && b !== 0x09) || b === 0x7f) this.junkBinary = true;
  }

  private endJunk(out: SplitOutput): void {
    out.problems.push({
      line: this.junkLine,
      message: `expected a JSON object or array, got ${describeJunk(this.junkBytes, this.junkBinary)}`,
      record: true,
    });
    this.skipLine = false;
  }

  private keep(part: Buffer): void {
    if (this.oversize) return;
    this.parts.push(part);
    this.partsBytes += part.length;
    if (this.partsBytes > this.maxRecordBytes) {
      this.oversize = true;
      this.parts = [];
    }
  }

  private cut(chunk: Buffer, end: number, out: SplitOutput): void {
    const tail = chunk.subarray(this.recordStart, end);
    if (this.oversize || this.partsBytes + tail.length > this.maxRecordBytes) {
      out.problems.push({
        line: this.recordLine,
        message: `expected a record of at most ${formatMiB(this.maxRecordBytes)}, got a larger one (skipped)`,
        record: true,
      });
    } else {
      out.records.push({ text: this.parts.length === 0 ? tail : Buffer.concat([...this.parts, tail]), line: this.recordLine });
    }
    this.recordsCut++;
    this.inRecord = false;
    this.parts = [];
    this.partsBytes = 0;
    this.oversize = false;
  }
}
