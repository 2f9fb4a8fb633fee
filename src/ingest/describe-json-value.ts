/**
 * Short, safe descriptions of untrusted values for error messages ("got an object with keys a, b").
 * Never echoes more than a few dozen characters of input, so a bad record cannot flood a log line.
 */

const MAX_KEYS = 8;
const MAX_TEXT = 40;

/** Quotes `text` as JSON, cut to `max` characters with an ellipsis. */
export function snippet(text: string, max = MAX_TEXT): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}

/** Describes a parsed JSON value: `null`, `the number 42`, `an object with keys id, name`, ... */
export function describeJsonValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return value.trim() === "" ? "an empty string" : `the string ${snippet(value)}`;
  if (typeof value === "number") return `the number ${String(value)}`;
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date) return "a Date that is not a valid instant";
  if (Array.isArray(value)) return value.length === 0 ? "an empty array" : `an array of ${value.length} items`;
  if (typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 0) return "an empty object";
    const shown = keys.slice(0, MAX_KEYS).map((k) => (k.length > MAX_TEXT ? `${k.slice(0, MAX_TEXT)}…` : k));
    return `an object with keys ${shown.join(", ")}${keys.length > MAX_KEYS ? ", …" : ""}`;
  }
  return typeof value;
}

/** Describes the first bytes of a file that is not JSON: a text snippet, or hex for binary data. */
export function describeLeadingBytes(bytes: Buffer): string {
  const head = bytes.subarray(0, 64);
  const binary = head.some((b) => b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f);
  if (binary || head.subarray(0, 4).some((b) => b >= 0x80 && b < 0xc2)) {
    const hex = [...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    return `binary data (first bytes ${hex})`;
  }
  const firstLine = head.toString("utf8").split(/\r?\n/, 1)[0] ?? "";
  return `text starting ${snippet(firstLine)}`;
}
