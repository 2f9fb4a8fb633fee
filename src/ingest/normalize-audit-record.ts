/**
 * One parsed record, whatever its envelope, to a {@link NormalizedAuditEvent} (OCI-NOTES §2.7,
 * §2.8, §5 item 12). Pure: no I/O, never throws on input. Required: an id (`eventId` | `eventID` |
 * `id`), an instant (`eventTime` | `time`) and a type (`eventType` | `type`); everything else is
 * optional and read leniently, because the original record is kept in `raw` anyway.
 */
import { auditRecordContentSha256, unwrapAuditRecord } from "../store/audit-event-row.js";
import { parseInstant } from "../time/instant.js";
import type { AuditEnvelope, NormalizedAuditEvent } from "./audit-event.js";
import { describeJsonValue } from "./describe-json-value.js";

export type NormalizeOutcome =
  | { ok: true; event: NormalizedAuditEvent }
  /**
   * `message` says what was expected, naming the field, and describes what was found by its shape
   * only (`field time: expected an ISO-8601 instant, got a string of 10 characters`): never a value.
   */
  | { ok: false; message: string };

type Obj = Record<string, unknown>;

const EXPECTED_RECORD = "expected an audit record with eventId/id and eventTime/time";

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function obj(v: unknown): Obj {
  return isObject(v) ? v : {};
}

// PostgreSQL text cannot hold U+0000; the raw JSON keeps the escape, derived columns get U+FFFD.
function clean(s: string): string {
  return s.includes("\u0000") ? s.replaceAll("\u0000", "\uFFFD") : s;
}

/** Optional text: strings (empty → null), numbers and booleans as text; anything else → null. */
function text(v: unknown): string | null {
  if (typeof v === "string") return v.trim() === "" ? null : clean(v);
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v === "boolean") return String(v);
  return null;
}

/** Why a value is not an instant, by shape: a JSON number that parseInstant refuses is out of range. */
function describeNotInstant(v: unknown): string {
  return typeof v === "number" ? "a number outside the range of dates" : describeJsonValue(v);
}

function firstKey(record: Obj, keys: readonly string[]): string | undefined {
  return keys.find((k) => k in record);
}

function fail(message: string): NormalizeOutcome {
  return { ok: false, message };
}

function envelopeOf(idKey: string, record: Obj, data: Obj): AuditEnvelope {
  if (idKey === "eventID") return "events-service";
  if (idKey === "eventId") return "audit-listevents";
  const logGroup = obj(record.oracle).loggroupid;
  if (typeof logGroup === "string") return logGroup.startsWith("_Audit") ? "logging-cloudevents" : "service-log";
  // Bare CloudEvents 1.0 without `oracle`: an audit record if it carries the audit data blocks.
  return isObject(data.identity) || isObject(data.request) ? "logging-cloudevents" : "service-log";
}

/**
 * Normalises one record. `value` is the record as read: a bare CloudEvents 0.1/1.0 record, or the
 * Console/Search wrapper `{datetime, logContent, regionId}` (then `raw` and `rawJson` are the whole
 * wrapper, and `contentSha256` is the hash of `logContent` alone).
 * `rawJson` is its JSON text as read; omitted, `JSON.stringify(value)` is used.
 * @returns `{ ok: false, message }` for anything that is not an audit record (never throws).
 */
export function normalizeAuditRecord(value: unknown, rawJson?: string): NormalizeOutcome {
  if (!isObject(value)) return fail(`${EXPECTED_RECORD} (a JSON object), got ${describeJsonValue(value)}`);

  let record: Obj = value;
  let prefix = "";
  if ("logContent" in value) {
    // The same unwrapping defines the content hash (store), so wrapped and bare copies match.
    const inner = unwrapAuditRecord(value);
    if (!isObject(inner)) {
      const what = typeof inner === "string" ? "text that is not a JSON object" : describeJsonValue(inner);
      return fail(`field logContent: expected a JSON object, got ${what}`);
    }
    record = inner;
    prefix = "logContent.";
  }

  const idKey = firstKey(record, ["eventId", "eventID", "id"]);
  const timeKey = firstKey(record, ["eventTime", "time"]);
  if (!idKey || !timeKey) return fail(`${EXPECTED_RECORD}, got ${describeJsonValue(value)}`);

  const id = record[idKey];
  if (typeof id !== "string" || id.trim() === "") {
    return fail(`field ${prefix}${idKey}: expected a non-empty string, got ${describeJsonValue(id)}`);
  }
  const time = parseInstant(record[timeKey]);
  if (!time) {
    return fail(`field ${prefix}${timeKey}: expected an ISO-8601 instant, got ${describeNotInstant(record[timeKey])}`);
  }
  const typeKey = firstKey(record, ["eventType", "type"]) ?? "type";
  const type = record[typeKey];
  if (typeof type !== "string" || type.trim() === "") {
    return fail(`field ${prefix}${typeKey === "type" ? "eventType/type" : typeKey}: expected a non-empty string, got ${describeJsonValue(type)}`);
  }
  if (record.data !== undefined && record.data !== null && !isObject(record.data)) {
    return fail(`field ${prefix}data: expected a JSON object, got ${describeJsonValue(record.data)}`);
  }

  const data = obj(record.data);
  const oracle = obj(record.oracle);
  const identity = obj(data.identity);
  const request = obj(data.request);
  const response = obj(data.response);

  let ingestedTime: string | null = null;
  if (oracle.ingestedtime !== undefined && oracle.ingestedtime !== null) {
    const ingested = parseInstant(oracle.ingestedtime);
    if (!ingested) {
      return fail(`field ${prefix}oracle.ingestedtime: expected an ISO-8601 instant, got ${describeNotInstant(oracle.ingestedtime)}`);
    }
    ingestedTime = ingested.iso;
  }

  // The identity is the unwrapped record, not the wrapper: see NormalizedAuditEvent.contentSha256.
  let sha: string;
  try {
    sha = auditRecordContentSha256(value);
  } catch {
    return fail("expected a record that can be canonicalised (RFC 8785), got one that cannot");
  }

  const segments = type.split(".").filter((s) => s !== "");
  const event: NormalizedAuditEvent = {
    eventId: clean(id),
    eventTime: time.iso,
    ingestedTime,
    eventType: clean(type),
    eventName: text(data.eventName) ?? clean(segments[segments.length - 1] ?? type),
    source: text(record.source),
    envelope: envelopeOf(idKey, record, data),
    compartmentId: text(data.compartmentId) ?? text(oracle.compartmentid) ?? text(obj(record.extensions).compartmentId),
    compartmentName: text(data.compartmentName),
    // Vault crypto-operation logs name the key in `subject`, not in `data.resourceId`.
    resourceId: text(data.resourceId) ?? text(record.subject),
    resourceName: text(data.resourceName),
    principalId: text(identity.principalId) ?? text(data.principalId),
    principalName: text(identity.principalName),
    authType: text(identity.authType),
    requestId: text(request.id) ?? text(data.opcRequestId),
    requestAction: text(request.action) ?? text(data.requestAction),
    requestPath: text(request.path),
    responseStatus: text(response.status) ?? text(data.statusCode),
    eventGroupingId: text(data.eventGroupingId),
    // The tenancy whose log holds the record; the API form only has the caller's tenancy.
    tenantId: text(oracle.tenantid) ?? text(identity.tenantId),
    regionId: text(value.regionId) ?? text(record.regionId),
    raw: value,
    rawJson: rawJson ?? JSON.stringify(value),
    contentSha256: sha,
  };
  return { ok: true, event };
}
