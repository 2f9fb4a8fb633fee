/**
 * Shape-only descriptions of untrusted input for error messages ("got a string of 12 characters",
 * "got a JSON object with keys [a, b]"). Error messages end up in logs and in `import_run.errors_json`
 * for years, and a file given by mistake may be a credential (`~/.oci/config`, a PEM key): so no
 * byte of input and no string value is ever quoted (DESIGN §7). Key names of an object are shown
 * only when every one is a short identifier; otherwise only their number.
 */

const MAX_KEYS = 8;

// Short identifiers only (`eventId`, `logContent`, `data_2`): a key such as "sk-3f9a…" or
// "user@example.com" could itself be a secret or personal data.
const SHOWN_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,23}$/;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Describes the keys of an object: `a JSON object with keys [a, b]`, or `a JSON object with 3 keys`. */
function describeObject(value: object): string {
  const keys = Object.keys(value);
  if (keys.length === 0) return "an empty JSON object";
  if (keys.length > MAX_KEYS || !keys.every((k) => SHOWN_KEY.test(k))) return `a JSON object with ${plural(keys.length, "key")}`;
  return `a JSON object with keys [${keys.join(", ")}]`;
}

/**
 * Describes a parsed JSON value by its shape: `null`, `a number`, `a string of 12 characters`,
 * `an array of 3 items`, `a JSON object with keys [id, name]`. Never includes a value.
 */
export function describeJsonValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return value.trim() === "" ? "an empty string" : `a string of ${plural(value.length, "character")}`;
  if (typeof value === "number") return "a number";
  if (typeof value === "boolean") return "a boolean";
  if (value instanceof Date) return "a Date that is not a valid instant";
  if (Array.isArray(value)) return value.length === 0 ? "an empty array" : `an array of ${plural(value.length, "item")}`;
  if (typeof value === "object") return describeObject(value);
  return typeof value;
}

function isBinary(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 64);
  return head.some((b) => b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) || head.subarray(0, 4).some((b) => b >= 0x80 && b < 0xc2);
}

// Well-known container formats, named by their magic number (a format name says nothing of the content).
const MAGIC: ReadonlyArray<[string, number[]]> = [
  ["a PNG image", [0x89, 0x50, 0x4e, 0x47]],
  ["a ZIP archive", [0x50, 0x4b, 0x03, 0x04]],
  ["a PDF document", [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ["bzip2 data", [0x42, 0x5a, 0x68]],
  ["xz data", [0xfd, 0x37, 0x7a, 0x58, 0x5a]],
  ["zstd data", [0x28, 0xb5, 0x2f, 0xfd]],
];

/**
 * Describes the first line of an input that is not JSON: `a PNG image`, `binary data`, or
 * `text that is not JSON (a first line of 36 bytes)`. No byte of it is quoted.
 */
export function describeLeadingBytes(bytes: Buffer): string {
  for (const [name, magic] of MAGIC) if (magic.every((b, i) => bytes[i] === b)) return name;
  if (isBinary(bytes)) return "binary data that is not JSON";
  const nl = bytes.indexOf(0x0a);
  const first = nl === -1 ? bytes.length : nl > 0 && bytes[nl - 1] === 0x0d ? nl - 1 : nl;
  return `text that is not JSON (a first line of ${plural(first, "byte")})`;
}

/** Describes `length` bytes of junk found between JSON values: `36 bytes of text that is not JSON`. */
export function describeJunk(length: number, binary: boolean): string {
  return `${plural(length, "byte")} of ${binary ? "binary data" : "text"} that is not JSON`;
}

/**
 * A JSON.parse error without the input V8 quotes in it (`Unexpected token 'p', "pass_phras"... is
 * not valid JSON` → `Unexpected token`). Messages that name only positions and expected
 * punctuation (`Expected ',' or '}' after property value in JSON at position 34`) are kept.
 */
export function describeParseError(err: unknown): string {
  let message = err instanceof Error ? err.message : "";
  const quoted = message.search(/, (\.\.\.)?"/);
  if (quoted !== -1) message = message.slice(0, quoted);
  message = message.replace(/^Unexpected token '.*?'(?=$)/s, "Unexpected token");
  // Anything left that could still carry input (a quote, an odd shape) is not passed on.
  if (message === "" || message.length > 100 || /["`]/.test(message) || /^Unexpected token ./.test(message)) return "not valid JSON";
  return message;
}
