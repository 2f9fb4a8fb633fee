/**
 * ISO-8601 date / date-time parsing for query literals, independent of the process time zone.
 *
 * `Date.parse("2024-01-01T00:00:00")` is local time in JavaScript, so a query would match
 * differently under `TZ=America/Sao_Paulo`; here a value without an offset is always UTC.
 */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** A parsed instant; `dateOnly` marks a bare `YYYY-MM-DD` (midnight UTC, spanning one day). */
export type IsoInstant = { readonly epochMs: number; readonly dateOnly: boolean };

export const DAY_MS = 86_400_000;

/** Parses an ISO-8601 date or date-time; returns null for anything else, including 2024-02-30. */
export function parseIsoInstant(text: string): IsoInstant | null {
  const m = ISO_INSTANT.exec(text.trim());
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(0);
  // setUTCFullYear keeps years < 100 literal (Date.UTC would map 24 to 1924).
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null;
  }
  return { epochMs: date.getTime() - offsetMs(zone), dateOnly: h === undefined && zone === undefined };
}

function offsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

/** The instant of a field value (ISO string or Date), or null when it is not one. */
export function instantOf(value: unknown): IsoInstant | null {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : { epochMs: value.getTime(), dateOnly: false };
  }
  return typeof value === "string" ? parseIsoInstant(value) : null;
}
