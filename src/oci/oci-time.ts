/**
 * Times at the OCI boundary. OCI answers times as strings in more than one shape (and the SDK's
 * typings claim `Date`, OCI-NOTES §1.6); the SDK's own Date → query-string formatter uses local
 * time with an un-padded hour (oracle/oci-typescript-sdk#320). Everything keyproof reads from OCI
 * goes through {@link ociInstant}, everything it sends as a query time through {@link formatOciMinute}.
 */
import { parseInstant } from "../time/instant.js";

/**
 * Canonical UTC ISO (`2025-03-28T10:15:30.123Z`) of any time OCI or a fixture hands us: a string
 * with `Z` or `+00:00` (or any offset), with or without fractional seconds, or a Date
 * (cases.md B02). Never throws.
 * @returns null when the value is absent or not an instant (an optional OCI field left out).
 */
export function ociInstant(value: unknown): string | null {
  return parseInstant(value)?.iso ?? null;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * An instant as a minute-granular OCI query bound, `2024-08-28T08:15:00Z`: floored to the minute
 * (Audit ListEvents: "seconds must be set to 0", oci-audit list-events-request.d.ts), formatted from
 * UTC getters only, so the process time zone cannot shift it (cases.md B01). Years before 0 or after
 * 9999 are not valid RFC 3339 and throw a RangeError.
 * @param epochMs UTC epoch milliseconds.
 */
export function formatOciMinute(epochMs: number): string {
  const floored = Math.floor(epochMs / 60_000) * 60_000;
  const d = new Date(floored);
  const year = d.getUTCFullYear();
  if (!Number.isFinite(floored) || year < 0 || year > 9999) throw new RangeError(`formatOciMinute: ${epochMs} is not an RFC 3339 instant`);
  return `${pad(year, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00Z`;
}
