/**
 * Makes a Notifications message fit OCI's size limit and keeps credentials out of it.
 *
 * OCI Notifications: a message is at most 64 KB (`oci-ons` PublishMessage doc comment: "Message
 * size limit per request: 64KB"; OCI-NOTES §2.9). The simulator counts title + body in UTF-8
 * bytes (src/sim/README.md, PublishMessage), so that is what is measured here.
 */

/** 64 KB: the most title + body may take, in UTF-8 bytes. */
export const ONS_MAX_MESSAGE_BYTES = 64 * 1024;

export interface OnsMessage {
  title: string;
  body: string;
  /** True when the body was cut to fit (the body then ends with a note saying so). */
  truncated: boolean;
}

/** The longest prefix of `text` that fits in `maxBytes` UTF-8 bytes, never splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  // A continuation byte (10xxxxxx) at the cut means the character started before it: back off.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString("utf8");
}

// Credentials that could ride along in an error text: PEM private keys, HTTP signature and
// Authorization values, OCI session tokens (ST$...), bearer tokens, raw JWTs (three base64url
// parts, the first a JSON header `{"` = `eyJ`), and passphrases / passwords as written in an OCI
// config file (`pass_phrase=...`) or JSON (`"passphrase": "..."`). Order matters: ST$ tokens wrap a
// JWT and are redacted whole first.
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, "[private key redacted]"],
  [/\b(signature|authorization)(\s*[=:]\s*)("[^"]*"|\S+)/gi, "$1$2[redacted]"],
  [/(pass_?phrase|password)("?\s*[=:]\s*)("[^"]*"|[^\s,;&]+)/gi, "$1$2[redacted]"],
  [/\bST\$[A-Za-z0-9._~+/=-]+/g, "[token redacted]"],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, "Bearer [redacted]"],
  [/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, "[token redacted]"],
];

/** `text` with private keys, signatures, Authorization values, passphrases, tokens and JWTs replaced by a marker. */
export function redactSecretText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * `text` safe to put inside one line of a message: CR, LF and every other control character
 * (C0, DEL, C1 including NEL) and the Unicode line and paragraph separators become U+FFFD, so a
 * display name, key name or error text from the tenancy cannot start a line of its own (and
 * forge, say, a "1. ... failed" entry).
 */
export function singleLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "\uFFFD");
}

/**
 * Title (one line: {@link singleLine}) and body with secrets redacted, cut so that
 * title + body ≤ {@link ONS_MAX_MESSAGE_BYTES} UTF-8 bytes. A cut body ends with `note(shownBytes, totalBytes)` on its own paragraph.
 * The title is limited to 255 characters (kept short; OCI's own title limit is not documented
 * in the SDK typings).
 */
export function fitOnsMessage(
  title: string,
  body: string,
  note: (shownBytes: number, totalBytes: number) => string = (shown, total) =>
    `[truncated: ${shown} of ${total} bytes shown; the message exceeded the 64 KB Notifications limit]`,
): OnsMessage {
  const safeTitle = singleLine(redactSecretText(title)).slice(0, 255);
  const safeBody = redactSecretText(body);
  const titleBytes = Buffer.byteLength(safeTitle, "utf8");
  const totalBytes = Buffer.byteLength(safeBody, "utf8");
  if (titleBytes + totalBytes <= ONS_MAX_MESSAGE_BYTES) return { title: safeTitle, body: safeBody, truncated: false };
  // The note's length depends on the numbers in it; size it with the largest it can be.
  const reserve = Buffer.byteLength(`\n\n${note(totalBytes, totalBytes)}`, "utf8");
  const kept = truncateUtf8(safeBody, ONS_MAX_MESSAGE_BYTES - titleBytes - reserve);
  const shown = Buffer.byteLength(kept, "utf8");
  return { title: safeTitle, body: `${kept}\n\n${note(shown, totalBytes)}`, truncated: true };
}
