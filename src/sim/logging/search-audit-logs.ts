/**
 * Runs a parsed Logging Search query over the simulator's audit log: the `_Audit` streams of the
 * query's compartments (their subtrees for `_Audit_Include_Subcompartment`, from the simulator's
 * compartment tree), records ingested by now (processing time ≤ simulator clock) whose `time` is
 * in [timeStart, timeEnd), in CloudEvents 1.0 form, filtered by the query's `where` clauses and
 * ordered by its sort (newest first by default). Streams naming other log groups match nothing:
 * the simulator keeps no other logs.
 */
import type { AuditLog } from "../audit/audit-log.js";
import { toCloudEventsV1, type AuditEventV1 } from "../audit/to-cloud-events-v1.js";
import { AUDIT_LOG_GROUP, logRecordComparator, matchesLogRecord, type LogQuery } from "../query/logging-search-query.js";
import { notFound } from "../sim-error.js";
import type { SimState } from "../state/sim-state.js";

export interface AuditLogSearch {
  query: LogQuery;
  /** Inclusive. */
  timeStart: Date;
  /** Exclusive. */
  timeEnd: Date;
}

/** `root` and every compartment below it (the whole tenancy for the tenancy id). */
export function compartmentSubtree(state: SimState, root: string): Set<string> {
  const out = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of state.compartments.values()) {
      if (!out.has(c.id) && out.has(c.compartmentId)) {
        out.add(c.id);
        grew = true;
      }
    }
  }
  return out;
}

/** The compartments whose `_Audit` log the query reads; unknown compartments are 404 NotAuthorizedOrNotFound. */
export function auditCompartmentsOf(state: SimState, query: LogQuery): Set<string> {
  const out = new Set<string>();
  for (const source of query.sources) {
    const id = source.compartmentId;
    if (id !== state.tenancy.id && !state.compartments.has(id)) throw notFound("Compartment", id);
    if (source.logGroup !== AUDIT_LOG_GROUP || source.log !== null) continue;
    for (const c of source.includeSubcompartments ? compartmentSubtree(state, id) : [id]) out.add(c);
  }
  return out;
}

/** Every matching record, in the query's order. */
export function searchAuditLogs(state: SimState, audit: AuditLog, search: AuditLogSearch): AuditEventV1[] {
  const compartments = auditCompartmentsOf(state, search.query);
  if (compartments.size === 0) return [];
  const from = search.timeStart.toISOString();
  const to = search.timeEnd.toISOString();
  return audit
    .query({ compartmentIds: [...compartments] })
    .filter((r) => r.event.eventTime >= from && r.event.eventTime < to)
    .map((r) => toCloudEventsV1(r, state.tenancy.id))
    .filter((record) => matchesLogRecord(search.query.filter, record))
    .sort(logRecordComparator(search.query));
}
