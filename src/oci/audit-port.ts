/**
 * AuditPort: Audit ListEvents one page at a time (the ingestion loop decides when to split a
 * window or stop, cases.md B04/B07) and the tenancy's retention setting (GetConfiguration).
 * ListEvents bounds go out as our own minute strings, never as Dates: oci-common formats Date query
 * values in local time with an unpadded hour (OCI-NOTES §1.6, cases.md B01). An answer without
 * an array of events is an OciCallError "malformed-answer" (with-retry.ts), never an empty page.
 */
import type { AuditClient } from "oci-audit";
import { toOciWrite } from "./kms-management-port.js";
import type { AuditPort } from "./oci-ports.js";
import { formatOciMinute } from "./oci-time.js";
import { malformedAnswerError, type OciCaller } from "./with-retry.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function createAuditPort(client: AuditClient, call: OciCaller, tenancyId: string): AuditPort {
  return {
    async listEventsPage(compartmentId, startTimeMs, endTimeMs, page) {
      // The SDK forwards strings unchanged (request-generator stringify); its typings say Date.
      const startTime = formatOciMinute(startTimeMs) as unknown as Date;
      const endTime = formatOciMinute(endTimeMs) as unknown as Date;
      const outcome = await call("ListEvents", () => client.listEvents({ compartmentId, startTime, endTime, ...(page ? { page } : {}) }));
      // OCI answers a bare JSON array; anything else (an empty body, `null`, an array holding
      // non-objects) would pass as "no events" or break the window loop, so it fails the window.
      const items: unknown = outcome.value.items;
      if (!Array.isArray(items) || !items.every(isRecord)) throw malformedAnswerError("ListEvents", "an array of audit events", outcome);
      return {
        items,
        nextPage: outcome.value.opcNextPage || null,
        opcRequestId: outcome.opcRequestId ?? outcome.value.opcRequestId ?? null,
        attempts: outcome.attempts,
      };
    },
    async getRetentionPeriodDays() {
      const outcome = await call("GetConfiguration", () => client.getConfiguration({ compartmentId: tenancyId }));
      return toOciWrite(outcome, outcome.value.configuration.retentionPeriodDays ?? 90);
    },
  };
}
