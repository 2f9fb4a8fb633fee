/**
 * RFC 8785 (JSON Canonicalization Scheme) through the `canonicalize` package, and the SHA-256 of
 * that form: the content hash of every stored audit record and of every manifest.
 */
import { createHash } from "node:crypto";
import canonicalizeModule from "canonicalize";

// The package is CommonJS with `export default` typings; at run time the default import is the function.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/** RFC 8785 canonical JSON text of `value`. Throws a TypeError for values JSON cannot hold (undefined, functions). */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError("canonicalJson: value cannot be represented as JSON");
  return text;
}

/** SHA-256 (lower-case hex) of the RFC 8785 canonical JSON of `value`. */
export function canonicalSha256(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}
