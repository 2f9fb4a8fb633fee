/**
 * Removes credentials from an audit record before it goes into a pack (DESIGN §7: secrets never
 * reach packs). OCI masks request signatures itself, but records still carry session tokens
 * (`identity.credentials` = `ST$...`, `keyId="ST$..."` in Authorization), bearer tokens and
 * principal claims. The store keeps the record untouched (its hash chain depends on it); packs get
 * this redacted copy, and the pack's Events sheet gives the SHA-256 of the original.
 */

export const REDACTED = "[redacted by keyproof]";

/** Header names whose values are credentials or carry them (compared case-insensitively). */
const SECRET_HEADER = /auth|token|cookie|credential|signature|principal|privateaccessmetadata/i;

function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SECRET_HEADER.test(name) ? (Array.isArray(value) ? value.map(() => REDACTED) : REDACTED) : value;
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A deep copy of `record` with credential values replaced by {@link REDACTED}: every `headers`
 * object's secret-bearing headers (any envelope, any depth) and every `identity.credentials`.
 * Structure and all other values are unchanged. Never throws.
 */
export function redactAuditRecord(record: unknown): unknown {
  if (Array.isArray(record)) return record.map(redactAuditRecord);
  if (!isObject(record)) return record;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === "headers" && isObject(value)) out[key] = redactHeaders(value);
    else if (key === "identity" && isObject(value)) {
      const identity = redactAuditRecord(value) as Record<string, unknown>;
      if (identity.credentials !== null && identity.credentials !== undefined) identity.credentials = REDACTED;
      out[key] = identity;
    } else out[key] = redactAuditRecord(value);
  }
  return out;
}
