/**
 * Cell encoders for evidence.xlsx: every value that reaches a worksheet goes through one of these,
 * so the two guarantees the auditor relies on hold in one place:
 * - times are real Excel date cells whose serial is computed from UTC epoch ms here, never from a
 *   JS Date's local fields (cases.md B33);
 * - untrusted text is always an inline string cell, never a formula, with characters XML 1.0 cannot
 *   carry replaced visibly (cases.md B35).
 */
import { parseInstant } from "../../time/instant.js";

/** Excel shows at most this many characters in a cell (UTF-16 code units); longer text is cut. */
export const EXCEL_MAX_CELL_CHARS = 32_767;

/** Replacement for characters XML 1.0 cannot carry: visible, and never a reason to reject a file. */
export const REPLACEMENT_CHAR = "\uFFFD";

/** Number formats of the two kinds of date cell. Display is the UTC wall-clock time. */
export const INSTANT_NUM_FMT = "yyyy-mm-dd hh:mm:ss.000";
export const DATE_NUM_FMT = "yyyy-mm-dd";

const MS_PER_DAY = 86_400_000;
/** Serial of 1970-01-01 in the 1900 date system (which exceljs writes: date1904 is off). */
const EPOCH_SERIAL = 25_569;

/** A value as exceljs accepts it for a cell: a number (plain or date serial), boolean or inline string. */
export type ExcelCellValue = number | boolean | { richText: { text: string }[] };

/**
 * Excel serial number (1900 date system, days since 1899-12-30) of a UTC instant.
 * Pure arithmetic on epoch ms, so the result never depends on the process time zone. Valid for
 * instants from 1900-03-01 on (Excel's phantom 1900-02-29 shifts earlier serials by a day).
 */
export function excelSerialFromEpochMs(epochMs: number): number {
  return EPOCH_SERIAL + epochMs / MS_PER_DAY;
}

// XML 1.0 Char excludes C0 controls other than tab, LF, CR, and U+FFFE / U+FFFF; lone UTF-16
// surrogates cannot be encoded at all. DEL is legal XML but exceljs silently drops it, so it is
// replaced too rather than vanishing from evidence.
const ILLEGAL_XML_RE = new RegExp(
  [
    "[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F\\uFFFE\\uFFFF]",
    "[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])", // high surrogate without its low half
    "(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]", // low surrogate without its high half
  ].join("|"),
  "g",
);

// OOXML strings (ST_Xstring) decode `_xHHHH_` escapes, in Excel and in exceljs' reader alike. A
// literal `_xHHHH_` in the input is protected by escaping its underscore as `_x005F_`; a CR is written
// as `_x000D_` because a raw CR in XML text is normalised to LF by every XML parser.
const XSTRING_ESCAPE_RE = /_(x[0-9A-Fa-f]{4}_)/g;

// Any character that cleaning or escaping could change (a superset, tested once per cell).
const NEEDS_WORK_RE = /[\u0000-\u001F\u007F\uD800-\uDFFF\uFFFE\uFFFF]|_x/;

/**
 * Makes untrusted text safe to store in a cell and returns the text the cell will show.
 * Replaces characters illegal in XML 1.0 with U+FFFD, and cuts text longer than Excel's cell limit
 * (32,767 characters), ending it with a visible note of how much was cut.
 */
export function cleanCellText(text: string): string {
  const clean = text.replace(ILLEGAL_XML_RE, REPLACEMENT_CHAR);
  if (clean.length <= EXCEL_MAX_CELL_CHARS) return clean;
  const omittedNote = (omitted: number) => `… [${omitted} characters cut: Excel cell limit]`;
  // Reserve room for the note with the largest possible count, then avoid splitting a surrogate pair.
  let keep = EXCEL_MAX_CELL_CHARS - omittedNote(clean.length).length;
  const last = clean.charCodeAt(keep - 1);
  if (last >= 0xd800 && last <= 0xdbff) keep -= 1;
  return clean.slice(0, keep) + omittedNote(clean.length - keep);
}

/**
 * A text cell: an inline string (`t="inlineStr"`), which Excel, LibreOffice and exceljs never
 * evaluate, whatever the text starts with (`=`, `+`, `-`, `@`, tab, CR). Reading the file back
 * with exceljs gives a rich-text value whose joined text equals {@link cleanCellText}(text).
 */
export function textCellValue(text: string): ExcelCellValue {
  // Fast path for the common case (ids, names): nothing to replace, escape or cut.
  if (text.length <= EXCEL_MAX_CELL_CHARS && !NEEDS_WORK_RE.test(text)) return { richText: [{ text }] };
  const escaped = cleanCellText(text).replace(XSTRING_ESCAPE_RE, "_x005F_$1").replace(/\r/g, "_x000D_");
  return { richText: [{ text: escaped }] };
}

/**
 * An instant cell: the Excel serial of an ISO-8601 instant (any form `parseInstant` accepts), to be
 * shown with {@link INSTANT_NUM_FMT}. Returns null when the text is not an instant, so the caller
 * can keep the raw text visible instead.
 */
export function instantCellValue(iso: string): number | null {
  const instant = parseInstant(iso);
  return instant ? excelSerialFromEpochMs(instant.epochMs) : null;
}

const DATE_ONLY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A date-only cell ("2025-03-15"): the whole-day Excel serial of that calendar date, to be shown
 * with {@link DATE_NUM_FMT}. The date is taken as written, with no time zone to shift it.
 * Returns null when the text is not a valid calendar date.
 */
export function dateCellValue(ymd: string): number | null {
  const m = DATE_ONLY_RE.exec(ymd);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return excelSerialFromEpochMs(ms);
}
