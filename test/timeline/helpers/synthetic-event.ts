/**
 * Small synthetic audit records for unit tests: a CloudEvents 1.0 `_Audit` record with only the
 * fields a test sets, turned into a TimelineEvent the way the importer would.
 */
import type { TimelineEvent } from "../../../src/timeline/timeline-event.js";
import { toTimelineEvent } from "./read-audit-export.js";

export const KEY_A = "ocid1.key.oc1.iad.bbpr5ctgaaeuk.abuwcljsaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
export const KEY_B = "ocid1.key.oc1.iad.bbpr5ctgaaeuk.abuwcljsbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
export const VERSION_A1 = "ocid1.keyversion.oc1.iad.bbpr5ctgaaeuk.abuwcljsa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
export const VERSION_A2 = "ocid1.keyversion.oc1.iad.bbpr5ctgaaeuk.abuwcljsa2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2";
export const VOL = "ocid1.volume.oc1.iad.abuwcljrvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv";
export const BOOT = "ocid1.bootvolume.oc1.iad.abuwcljrbtbtbtbtbtbtbtbtbtbtbtbtbtbtbtbtbtbtbtbtbtbtbtbtbt";

export interface Spec {
  id?: string;
  time?: string;
  type?: string;
  /** `data.eventName`; null leaves it out (the importer then uses the type's last segment). */
  name?: string | null;
  path?: string;
  action?: string;
  /** `data.response.status`; null leaves the whole response block out. */
  status?: string | null;
  message?: string | null;
  resourceId?: string | null;
  resourceName?: string | null;
  payload?: unknown;
  previous?: unknown;
  current?: unknown;
  details?: unknown;
  parameters?: Record<string, unknown>;
  responseHeaders?: Record<string, unknown>;
  principalName?: string | null;
  principalId?: string | null;
  freeformTags?: unknown;
}

let counter = 0;

/** The raw record of a spec (CloudEvents 1.0). */
export function auditRecord(spec: Spec): Record<string, any> {
  counter += 1;
  const data: Record<string, unknown> = {
    compartmentId: "ocid1.compartment.oc1..aaaaaaaatest",
    compartmentName: "test",
    resourceId: spec.resourceId ?? null,
    resourceName: spec.resourceName ?? null,
    freeformTags: spec.freeformTags ?? null,
    identity: { principalName: spec.principalName === undefined ? "tester" : spec.principalName, principalId: spec.principalId ?? "ocid1.user.oc1..aaaaaaaatester" },
    request: { id: `req-${counter}`, path: spec.path ?? "", action: spec.action ?? "POST", parameters: spec.parameters ?? {}, headers: {} },
    stateChange: { previous: spec.previous ?? null, current: spec.current ?? null },
    additionalDetails: spec.details ?? null,
  };
  if (spec.name !== null) data.eventName = spec.name ?? "CreateKeyVersion";
  if (spec.status !== null) {
    data.response = {
      status: spec.status ?? "200",
      responseTime: spec.time ?? "2026-10-05T02:00:00.000Z",
      headers: spec.responseHeaders ?? {},
      payload: spec.payload ?? {},
      message: spec.message ?? null,
    };
  }
  return {
    data,
    dataschema: "2.0",
    id: spec.id ?? `evt-${String(counter).padStart(4, "0")}`,
    oracle: { compartmentid: "ocid1.compartment.oc1..aaaaaaaatest", ingestedtime: "2026-10-05T02:00:09.000Z", loggroupid: "_Audit", tenantid: "ocid1.tenancy.oc1..aaaaaaaatest" },
    source: "",
    specversion: "1.0",
    time: spec.time ?? "2026-10-05T02:00:00.000Z",
    type: spec.type ?? `com.oraclecloud.KeyManagementService.${spec.name ?? "CreateKeyVersion"}`,
  };
}

/** A TimelineEvent for a spec. */
export function auditEvent(spec: Spec): TimelineEvent {
  return toTimelineEvent(auditRecord(spec));
}
