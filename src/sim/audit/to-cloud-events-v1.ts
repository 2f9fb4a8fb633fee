/**
 * Converts a stored audit record (ListEvents form, CloudEvents 0.1) to the form Logging shows for
 * the `_Audit` log group (CloudEvents 1.0, OCI-NOTES §2.8), field for field as the real records in
 * ../shared/oci-samples/audit-v2-*.jsonl: the simulator stores each event once and derives this.
 * In all 202 real 1.0 records `data` has no `resourceName`: the name is the top-level `source`.
 */
import type { AuditEventData } from "./audit-event.js";
import type { AuditRecord } from "./audit-log.js";

/** An audit record as Logging Search returns it in `results[].data.logContent`. */
export interface AuditEventV1 {
  specversion: "1.0";
  id: string;
  /** The resource's name ("" when the call names no resource), as in the real records. */
  source: string;
  time: string;
  type: string;
  dataschema: "2.0";
  oracle: { compartmentid: string; ingestedtime: string; loggroupid: "_Audit"; tenantid: string };
  /** The API form's data without `resourceName` (the 1.0 form carries it as `source`) plus `message`. */
  data: Omit<AuditEventData, "resourceName"> & { message: string };
}

/**
 * `data.message` as the real records word it: `"<resource name> <EventName> succeeded"`, or
 * `"<EventName> succeeded"` when no resource is named; `failed` for 4xx/5xx.
 */
export function auditMessageOf(data: AuditEventData): string {
  const outcome = Number(data.response.status) < 400 ? "succeeded" : "failed";
  return `${data.resourceName ? `${data.resourceName} ` : ""}${data.eventName} ${outcome}`;
}

/**
 * The CloudEvents 1.0 form of `record`. `oracle.ingestedtime` is the processing time (event time +
 * delivery delay); `oracle.tenantid` is the tenancy owning the compartment (the caller's
 * `identity.tenantId` may differ, as in the real ListEvents sample).
 */
export function toCloudEventsV1(record: AuditRecord, tenancyId: string): AuditEventV1 {
  const e = record.event;
  return {
    specversion: "1.0",
    id: e.eventId,
    source: e.data.resourceName ?? "",
    time: e.eventTime,
    type: e.eventType,
    dataschema: "2.0",
    oracle: { compartmentid: e.data.compartmentId, ingestedtime: record.processedAt, loggroupid: "_Audit", tenantid: tenancyId },
    data: { ...withoutResourceName(structuredClone(e.data)), message: auditMessageOf(e.data) },
  };
}

function withoutResourceName(data: AuditEventData): Omit<AuditEventData, "resourceName"> {
  const { resourceName: _name, ...rest } = data;
  return rest;
}
