/**
 * Turns one API call into the two Audit envelopes of the real samples (OCI-NOTES §2.7, §2.8, §3):
 * the Audit ListEvents item (CloudEvents 0.1, `eventId`/`eventTime`, fields in document order)
 * and the `_Audit` log record that Service Connector writes (CloudEvents 1.0, `id`/`time`,
 * `oracle.*`, `data.message`, keys sorted as in the exported samples).
 */
import { hexUpper, requestIds, uuid } from "./ids.js";
import { TENANCY, type Actor, type Compartment } from "./tenancy.js";

export type Service = "kms" | "block" | "objectstorage";

/** Everything the generator decides about one call; the envelopes derive the rest. */
export interface ApiCall {
  /** Unique label; seeds the event id and the request ids. */
  label: string;
  /** Event time (ISO UTC, ms). */
  time: string;
  service: Service;
  /** Operation as OCI names it in `data.eventName` (PascalCase). */
  eventName: string;
  action: "GET" | "POST" | "PUT";
  path: string;
  parameters: Record<string, string[]>;
  actor: Actor;
  compartment: Compartment;
  resourceId: string | null;
  resourceName: string | null;
  freeformTags: Record<string, string> | null;
  definedTags: Record<string, Record<string, string>> | null;
  /** HTTP status as text ("200", "202", "409"). */
  status: string;
  /** `response.message`: null on success, the error message on failure. */
  responseMessage: string | null;
  payload: Record<string, unknown>;
  stateChange: { previous: unknown; current: unknown } | null;
  additionalDetails: Record<string, unknown> | null;
  /** Extra request headers (opc-retry-token, if-match). */
  requestHeaders: Record<string, string>;
  /** Extra response headers (opc-work-request-id, ETag, ...). */
  responseHeaders: Record<string, string>;
  /** Length of the JSON request body (0 = none). */
  bodyLength: number;
  /** Delay between the call and `oracle.ingestedtime`. */
  ingestDelayMs: number;
}

const SOURCE: Record<Service, string> = { kms: "KeyManagementService", block: "BlockVolumes", objectstorage: "ObjectStorage" };

/** `com.oraclecloud.<Service>.<Operation>`; Object Storage types are lower-case (see the samples). */
export function eventTypeOf(call: ApiCall): string {
  if (call.service === "objectstorage") return `com.oraclecloud.objectstorage.${call.eventName.toLowerCase()}`;
  return `com.oraclecloud.${SOURCE[call.service]}.${call.eventName}`;
}

function shift(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

function httpDate(iso: string, ms = 0): string {
  return new Date(Date.parse(iso) + ms).toUTCString();
}

function arrays(headers: Record<string, string>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
}

function identity(call: ApiCall): Record<string, unknown> {
  const a = call.actor;
  return {
    principalName: a.principalName,
    principalId: a.principalId,
    authType: a.authType,
    callerName: null,
    callerId: null,
    tenantId: TENANCY,
    ipAddress: a.ipAddress,
    credentials: a.credentials,
    userAgent: a.userAgent,
    consoleSessionId: a.console ? `csid${hexUpper(`${a.principalName}:${call.time.slice(0, 10)}`, 28).toLowerCase()}` : null,
  };
}

function requestHeaders(call: ApiCall, ids: ReturnType<typeof requestIds>): Record<string, string[]> {
  const a = call.actor;
  const h: Record<string, string> = {
    Accept: "application/json",
    Authorization: `Signature version="1",keyId="${a.credentials}",algorithm="rsa-sha256",headers="${a.signedHeaders}",signature="*****"`,
    Connection: "keep-alive",
    "User-Agent": a.userAgent,
    "x-date": httpDate(call.time, -180),
  };
  if (a.console) h["accept-language"] = "en";
  else h.Date = httpDate(call.time, -180);
  if (call.action !== "GET") {
    h["Content-Length"] = String(call.bodyLength);
    h["Content-Type"] = "application/json";
    h["x-content-sha256"] = Buffer.from(hexUpper(`body:${call.label}`, 64), "hex").toString("base64");
  }
  if (call.service === "objectstorage" && !a.console) h["opc-client-request-id"] = ids.client;
  else h["opc-request-id"] = ids.client;
  if (!a.console) h["opc-client-info"] = "Oracle-TypeScriptSDK/2.139.1";
  return arrays({ ...h, ...call.requestHeaders });
}

function responseHeaders(call: ApiCall, ids: ReturnType<typeof requestIds>): Record<string, string[]> {
  const body = call.status === "202" || call.status === "204" ? 0 : 180 + (JSON.stringify(call.payload).length % 900);
  if (call.service === "objectstorage") {
    const h: Record<string, string> = {
      "Content-Length": String(body),
      "Content-Type": "application/json",
      date: httpDate(call.time),
      "opc-request-id": ids.full,
      "x-api-id": "native",
    };
    if (!call.actor.console) h["opc-client-request-id"] = ids.client;
    return arrays({ ...h, ...call.responseHeaders });
  }
  return arrays({
    "Content-Length": String(body),
    "Content-Type": "application/json",
    Date: httpDate(call.time),
    "X-Content-Type-Options": "nosniff",
    "opc-request-id": ids.full,
    ...call.responseHeaders,
  });
}

function availabilityDomain(call: ApiCall): string {
  if (call.service === "objectstorage") return "IAD-AD-1";
  return `AD${(Number.parseInt(hexUpper(`ad:${call.label}`, 2), 16) % 3) + 1}`;
}

/** The shared `data` block, in the field order of the ListEvents sample. */
function auditData(call: ApiCall): Record<string, unknown> {
  const ids = requestIds(call.label, call.service === "objectstorage");
  return {
    eventGroupingId: ids.grouping,
    eventName: call.eventName,
    compartmentId: call.compartment.id,
    compartmentName: call.compartment.name,
    resourceName: call.resourceName,
    resourceId: call.resourceId,
    availabilityDomain: availabilityDomain(call),
    freeformTags: call.freeformTags,
    definedTags: call.definedTags,
    identity: identity(call),
    request: {
      id: ids.full,
      path: call.path,
      action: call.action,
      parameters: call.parameters,
      headers: requestHeaders(call, ids),
    },
    response: {
      status: call.status,
      responseTime: shift(call.time, 1),
      headers: responseHeaders(call, ids),
      payload: call.payload,
      message: call.responseMessage,
    },
    stateChange: call.stateChange,
    additionalDetails: call.additionalDetails,
  };
}

/** The audit event id: the same in both envelopes (ListEvents `eventId`, Logging `id`). */
export function eventIdOf(call: ApiCall): string {
  return uuid(`event:${call.label}`);
}

/** Audit ListEvents item (CloudEvents 0.1), as `GET /20190901/auditEvents` returns it. */
export function toListEventsItem(call: ApiCall): Record<string, unknown> {
  return {
    eventType: eventTypeOf(call),
    cloudEventsVersion: "0.1",
    eventTypeVersion: "2.0",
    source: SOURCE[call.service],
    eventId: eventIdOf(call),
    eventTime: call.time,
    contentType: "application/json",
    data: auditData(call),
  };
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortDeep(v)]));
}

function logMessage(call: ApiCall): string {
  const ok = call.status.startsWith("2");
  if (call.service === "objectstorage" && ok) {
    if (call.eventName === "GetBucket") return "Bucket details retrieved.";
    if (call.eventName === "UpdateBucket") return "Bucket updated.";
  }
  return `${call.eventName} ${ok ? "succeeded" : "failed"}`;
}

/** `_Audit` log record (CloudEvents 1.0), as Service Connector writes it to Object Storage. */
export function toLoggingRecord(call: ApiCall): Record<string, unknown> {
  return sortDeep({
    data: { ...auditData(call), message: logMessage(call) },
    dataschema: "2.0",
    id: eventIdOf(call),
    oracle: {
      compartmentid: call.compartment.id,
      ingestedtime: shift(call.time, call.ingestDelayMs),
      loggroupid: "_Audit",
      tenantid: TENANCY,
    },
    source: call.resourceName ?? "",
    specversion: "1.0",
    time: call.time,
    type: eventTypeOf(call),
  }) as Record<string, unknown>;
}
