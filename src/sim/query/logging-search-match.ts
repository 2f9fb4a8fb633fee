/**
 * Evaluates Logging Search filters against audit records in CloudEvents 1.0 form (the
 * `logContent` of a SearchLogs result): `{ specversion, id, source, time, type, dataschema,
 * oracle: {...}, data: {...} }`.
 *
 * - Field paths resolve from the record: `type` is the top-level type, `data.eventName` etc.
 *   A leading `logContent.` segment is accepted and skipped. Names match exactly first, then
 *   case-insensitively (OCI indexes field names in lower case yet documents and accepts
 *   camel-case paths such as `data.eventName`).
 * - `=` compares text exactly (case-sensitive) and numbers numerically (a numeric string such
 *   as `data.response.status` '200' equals 200); an array field matches when any element does.
 * - `!=` is exactly `not (=)`, so a missing field is `!=` to everything.
 */
import { instantOf } from "./iso-instant.js";
import type { LogComparison, LogCondition, LogQuery } from "./logging-search-query.js";

/** True when the record satisfies the filter; a null filter matches every record. */
export function matchesLogRecord(filter: LogCondition | null, record: unknown): boolean {
  if (filter === null) return true;
  switch (filter.kind) {
    case "and":
      return filter.operands.every((c) => matchesLogRecord(c, record));
    case "or":
      return filter.operands.some((c) => matchesLogRecord(c, record));
    case "not":
      return !matchesLogRecord(filter.operand, record);
    case "comparison":
      return filter.operator === "="
        ? equals(resolvePath(record, filter.field), filter.value)
        : !equals(resolvePath(record, filter.field), filter.value);
  }
}

/**
 * Orders records by their `time` (the datetime OCI sorts on): as the query's sort command says,
 * newest first when it has none. Records without a parseable time sort last; ties keep input order.
 */
export function logRecordComparator(query: LogQuery): (a: unknown, b: unknown) => number {
  const direction = query.sort?.order === "asc" ? 1 : -1;
  return (a, b) => {
    const x = timeOf(a);
    const y = timeOf(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return (x - y) * direction;
  };
}

function timeOf(record: unknown): number | null {
  if (record === null || typeof record !== "object") return null;
  return instantOf((record as Record<string, unknown>)["time"])?.epochMs ?? null;
}

function resolvePath(record: unknown, path: readonly string[]): unknown {
  let segments = path;
  if (segments[0]?.toLowerCase() === "logcontent" && lookup(record, segments[0]) === undefined) {
    segments = segments.slice(1);
  }
  let current: unknown = record;
  for (const segment of segments) {
    current = lookup(current, segment);
    if (current === undefined) return undefined;
  }
  return current;
}

function lookup(source: unknown, name: string): unknown {
  if (source === null || typeof source !== "object" || Array.isArray(source)) return undefined;
  const object = source as Record<string, unknown>;
  if (Object.hasOwn(object, name)) return object[name];
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

function equals(actual: unknown, expected: LogComparison["value"]): boolean {
  if (actual === undefined || actual === null) return false;
  if (Array.isArray(actual)) return actual.some((item) => equals(item, expected));
  if (expected.kind === "number") {
    if (typeof actual === "number") return actual === expected.value;
    return typeof actual === "string" && /^-?\d+(\.\d+)?$/.test(actual.trim()) && Number(actual) === expected.value;
  }
  if (typeof actual === "string") return actual === expected.value;
  if (typeof actual === "number" || typeof actual === "boolean") return String(actual) === expected.value;
  return false;
}
