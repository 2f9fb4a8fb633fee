/**
 * UTC instants. keyproof stores and computes every time as ISO-8601 UTC text with milliseconds and
 * `Z` (`2026-03-08T13:00:00.000Z`, DESIGN §4). Local-time getters are never used here: the oci-sdk
 * has local-time bugs (cases.md B01, B02).
 */

/** An instant in both forms: epoch milliseconds (UTC) and the canonical ISO text. */
export interface Instant {
  readonly epochMs: number;
  readonly iso: string;
}

// Accepts: 2025-03-28T10:15:30Z, 2025-03-28T10:15:30.123Z, 2025-03-28T10:15:30+00:00,
// 2025-03-28T10:15:30.123456+05:30, 2025-03-28 10:15:30Z, and un-padded hours (OCI-NOTES §1.6).
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})$/;

/** Canonical ISO form of an epoch-ms instant (always UTC, ms, `Z`). */
export function formatInstant(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/**
 * Parses an OCI or user-supplied time into an {@link Instant}.
 * Accepts a Date, epoch milliseconds, or ISO-8601 text with `Z` or a numeric offset, with or
 * without fractional seconds (extra digits beyond ms are truncated).
 * @returns null when the value is missing or not a valid instant (never throws).
 */
export function parseInstant(value: unknown): Instant | null {
  let ms: number;
  if (value instanceof Date) {
    ms = value.getTime();
  } else if (typeof value === "number") {
    ms = value;
  } else if (typeof value === "string") {
    const m = ISO_RE.exec(value.trim());
    if (!m) return null;
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    const fracMs = frac ? Number((frac + "00").slice(0, 3)) : 0;
    // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
    const date = new Date(0);
    date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
    date.setUTCHours(Number(h), Number(mi), Number(s ?? 0), fracMs);
    const base = date.getTime();
    // Reject calendar overflow such as 2025-02-30 that Date.UTC would silently roll over.
    const check = new Date(base);
    if (
      check.getUTCFullYear() !== Number(y) ||
      check.getUTCMonth() !== Number(mo) - 1 ||
      check.getUTCDate() !== Number(d) ||
      Number(h) > 23 ||
      Number(mi) > 59 ||
      Number(s ?? 0) > 59
    ) {
      return null;
    }
    let offsetMin = 0;
    if (zone && zone !== "Z" && zone !== "z") {
      const sign = zone.startsWith("-") ? -1 : 1;
      const digits = zone.slice(1).replace(":", "");
      offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
    }
    ms = base - offsetMin * 60_000;
  } else {
    return null;
  }
  // Outside ±8.64e15 ms a Date is invalid and toISOString would throw.
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  return { epochMs: ms, iso: formatInstant(ms) };
}

/** Like {@link parseInstant} but throws a TypeError naming `field` when the value is not an instant. */
export function requireInstant(value: unknown, field: string): Instant {
  const instant = parseInstant(value);
  if (!instant) throw new TypeError(`${field}: expected an ISO-8601 instant, got ${JSON.stringify(value)}`);
  return instant;
}

/** Month period `YYYY-MM` → [start, end) in UTC. Throws a TypeError on a malformed month. */
export function monthPeriod(month: string): { start: string; end: string } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new TypeError(`month: expected YYYY-MM, got ${JSON.stringify(month)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  return { start: formatInstant(Date.UTC(y, mo, 1)), end: formatInstant(Date.UTC(y, mo + 1, 1)) };
}

/** A source of the current time, injected everywhere so tests can run at any date. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock frozen at (or moved to) a given instant, for tests and reproducible reports. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let ms = requireInstant(iso, "fixedClock").epochMs;
  return {
    now: () => new Date(ms),
    set: (next: string) => {
      ms = requireInstant(next, "fixedClock").epochMs;
    },
  };
}
