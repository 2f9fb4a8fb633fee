/**
 * Lenient readers over a parsed audit record (any envelope, OCI-NOTES §2.7, §2.8, §5 item 12).
 * They never throw: a field of the wrong type reads as absent.
 */

import { unwrapAuditRecord } from "../store/audit-event-row.js";

export type Obj = Record<string, unknown>;

/** The value when it is a plain JSON object, else null. */
export function asObject(value: unknown): Obj | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Obj) : null;
}

/** A non-blank string (trimmed), else null. */
export function asText(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const t = value.trim();
  return t === "" ? null : t;
}

/** True when `obj` has `key` as its own property (even with a null value). */
export function has(obj: Obj | null, key: string): boolean {
  return obj !== null && Object.prototype.hasOwnProperty.call(obj, key);
}

/**
 * The audit `data` block of a record: `record.data` for CloudEvents 0.1 / 1.0, inside `logContent`
 * for the Console/Search wrapper `{datetime, logContent}` (also when `logContent` is JSON text).
 * An empty object when there is none.
 */
export function auditData(raw: unknown): Obj {
  return asObject(asObject(unwrapAuditRecord(raw))?.data) ?? {};
}

/** A block of `data` by path, e.g. `block(data, "response", "payload")`; null when absent. */
export function block(data: Obj, ...path: string[]): Obj | null {
  let current: Obj | null = data;
  for (const key of path) current = current ? asObject(current[key]) : null;
  return current;
}

/**
 * A header value from an Audit headers block (`{name: [value]}`), matching the name
 * case-insensitively; plain string values are accepted too. Null when absent or blank.
 */
export function headerValue(headers: Obj | null, name: string): string | null {
  if (!headers) return null;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const first = Array.isArray(value) ? value.find((v) => asText(v) !== null) : value;
    const text = asText(first);
    if (text !== null) return text;
  }
  return null;
}

/** The first value of a request parameter (`{name: [value]}` or `{name: value}`). */
export function parameterValue(parameters: Obj | null, name: string): string | null {
  return headerValue(parameters, name);
}

/** Path segments, URL-decoded where valid; the query string, if any, is dropped. */
export function pathSegments(path: string | null): string[] {
  if (!path) return [];
  return path
    .split("?")[0]!
    .split("/")
    .filter((s) => s !== "")
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/** The segment right after `name` in the path (first occurrence), or null. */
export function segmentAfter(segments: readonly string[], name: string): string | null {
  const i = segments.indexOf(name);
  return i >= 0 && i + 1 < segments.length ? segments[i + 1]! : null;
}
